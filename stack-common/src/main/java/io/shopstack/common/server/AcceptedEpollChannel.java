package io.shopstack.common.server;

import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;

/**
 * A client accepted by an {@link EpollListener}: Netty's epoll stream channel with the stack's own
 * socket settings ({@link EpollSocketConfig}), so that a connection costs two {@code getsockopt}
 * fewer than on Netty's {@code EpollSocketChannel} (its {@code SO_SNDBUF} read when made, its
 * {@code SO_LINGER} read at close). Reading, writing, half-closure and closing are Netty's own.
 */
public final class AcceptedEpollChannel extends AbstractEpollStreamChannel
    implements SocketChannel {
  private final EpollSocketConfig config;

  AcceptedEpollChannel(EpollListener listener, int fd, InetSocketAddress remote) {
    super(listener, LinuxSocket.newSocket(fd), remote);
    config = new EpollSocketConfig(this);
  }

  @Override
  public EpollSocketConfig config() {
    return config;
  }

  @Override
  public ServerSocketChannel parent() {
    return (ServerSocketChannel) super.parent();
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
