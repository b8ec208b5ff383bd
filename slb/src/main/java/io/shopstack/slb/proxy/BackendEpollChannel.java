package io.shopstack.slb.proxy;

import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.Native;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.shopstack.common.server.EpollSocketConfig;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The backend side of a splice on epoll: Netty's stream channel with the stack's socket settings
 * ({@link EpollSocketConfig}, which the accepted client side uses too), which spares two system
 * calls per connection that Netty's {@code EpollSocketChannel} makes and a splice never needs:
 * reading {@code SO_SNDBUF} when the channel is made (to size gathering writes; a splice writes one
 * chunk at a time) and {@code SO_LINGER} at each close (to close on another thread when lingering;
 * the SLB never sets it); and a third, asking the local address after connecting (see {@link
 * #doConnect}). Everything else, completing the connect, reading, writing and half-closure, is
 * Netty's own.
 */
final class BackendEpollChannel extends AbstractEpollStreamChannel implements SocketChannel {
  private final EpollSocketConfig config;
  private volatile InetSocketAddress requested;
  private volatile InetSocketAddress local;

  BackendEpollChannel(SocketProtocolFamily family) {
    super(LinuxSocket.newSocketStream(family), false);
    config = new EpollSocketConfig(this);
  }

  @Override
  public EpollSocketConfig config() {
    return config;
  }

  /**
   * Netty asks the kernel for the local address after every {@code connect} ({@code getsockname}),
   * a system call per backend connection that a splice only needs for an access-log line. Here the
   * connect is the same non-blocking one (completion, its {@code SO_ERROR} check and the connect
   * timeout stay Netty's), and the local address is asked for when first wanted. A bind before
   * connecting goes Netty's whole way.
   */
  @Override
  protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress)
      throws Exception {
    if (localAddress != null
        || requested != null
        || !(remoteAddress instanceof InetSocketAddress target)
        || target.isUnresolved()) {
      return super.doConnect(remoteAddress, localAddress); // binds, refuses, or explains
    }
    requested = target;
    boolean done = false;
    try {
      boolean connected = socket.connect(target);
      if (!connected) {
        setFlag(Native.EPOLLOUT); // Netty finishes the connect when the socket is writable
      }
      done = true;
      return connected;
    } finally {
      if (!done) {
        doClose();
      }
    }
  }

  /** Netty's once the connect completed; until then, where it was asked to connect. */
  @Override
  protected SocketAddress remoteAddress0() {
    SocketAddress connected = super.remoteAddress0();
    return connected != null ? connected : requested;
  }

  /** Asked of the kernel once, while the socket is open: a closed one's number may be reused. */
  @Override
  protected SocketAddress localAddress0() {
    SocketAddress bound = super.localAddress0();
    if (bound != null) {
      return bound;
    }
    InetSocketAddress known = local;
    if (known == null && requested != null && socket.isOpen()) {
      known = socket.localAddress();
      local = known;
    }
    return known;
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
