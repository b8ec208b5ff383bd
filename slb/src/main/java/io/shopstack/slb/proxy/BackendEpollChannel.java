package io.shopstack.slb.proxy;

import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.shopstack.common.server.EpollSocketConfig;
import java.net.InetSocketAddress;

/**
 * The backend side of a splice on epoll: Netty's stream channel with the stack's socket settings
 * ({@link EpollSocketConfig}, which the accepted client side uses too), which spares two system
 * calls per connection that Netty's {@code EpollSocketChannel} makes and a splice never needs:
 * reading {@code SO_SNDBUF} when the channel is made (to size gathering writes; a splice writes one
 * chunk at a time) and {@code SO_LINGER} at each close (to close on another thread when lingering;
 * the SLB never sets it). Everything else, connecting, reading, writing and half-closure, is
 * Netty's own.
 */
final class BackendEpollChannel extends AbstractEpollStreamChannel implements SocketChannel {
  private final EpollSocketConfig config;

  BackendEpollChannel(SocketProtocolFamily family) {
    super(LinuxSocket.newSocketStream(family), false);
    config = new EpollSocketConfig(this);
  }

  @Override
  public EpollSocketConfig config() {
    return config;
  }

  @Override
  public ServerSocketChannel parent() {
    return null; // made by the SLB, not accepted
  }

  @Override
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) super.localAddress();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) super.remoteAddress();
  }
}
