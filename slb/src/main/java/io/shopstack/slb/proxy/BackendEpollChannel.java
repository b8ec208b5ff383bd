package io.shopstack.slb.proxy;

import io.netty.channel.ChannelFuture;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Native;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.shopstack.common.server.EpollSocketConfig;
import io.shopstack.common.server.KnownFamilySockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The backend side of a splice on epoll: Netty's stream channel with the stack's socket settings
 * ({@link EpollSocketConfig}, which the accepted client side uses too), which spares two system
 * calls per connection that Netty's {@code EpollSocketChannel} makes and a splice never needs:
 * reading {@code SO_SNDBUF} when the channel is made (to size gathering writes; a splice writes one
 * chunk at a time) and {@code SO_LINGER} at each close (to close on another thread when lingering;
 * the SLB never sets it); a third, asking the local address after connecting (see {@link
 * #doConnect}); a fourth, asking the peer's address once connected (see {@link #connect}); and a
 * fifth, the check of the new socket's address family ({@link KnownFamilySockets}). A connect that
 * completed within its call is known as such at once ({@link #establishedAlready}). Everything
 * else, completing a pending connect, reading, writing and half-closure, is Netty's own.
 */
final class BackendEpollChannel extends AbstractEpollStreamChannel implements SocketChannel {
  // Linux's IPPROTO_TCP and TCP_INFO (netinet/tcp.h), and the TCP states a connected socket can be
  // in before anything was sent on it (the first byte of struct tcp_info).
  private static final int IPPROTO_TCP = 6;
  private static final int TCP_INFO = 11;
  private static final int TCP_ESTABLISHED = 1;
  private static final int TCP_CLOSE_WAIT = 8;

  private final EpollSocketConfig config;
  private volatile InetSocketAddress requested;
  private volatile InetSocketAddress local;

  BackendEpollChannel(SocketProtocolFamily family) {
    // Without Netty's getsockname to learn the family it is made with.
    super(KnownFamilySockets.newStream(family), false);
    config = new EpollSocketConfig(this);
  }

  /**
   * Connects to {@code remoteAddress}, a resolved backend, without the {@code getpeername} Netty
   * makes once the connect completes: its epoll channel asks the kernel who the peer is when the
   * address it was given is an {@link InetSocketAddress}, to learn what it was given (one system
   * call per backend connection, 1.3 % of the SLB's CPU with a new connection per request; HAProxy
   * makes none). Given it wrapped in a {@link Backend}, Netty keeps it as it is, and {@link
   * #remoteAddress0} answers with it. Anything else goes Netty's whole way.
   */
  @Override
  public ChannelFuture connect(SocketAddress remoteAddress) {
    return super.connect(
        remoteAddress instanceof InetSocketAddress target && !target.isUnresolved()
            ? new Backend(target)
            : remoteAddress);
  }

  /** A resolved backend's address, as Netty's connect keeps it until the connect completes. */
  private static final class Backend extends SocketAddress {
    private static final long serialVersionUID = 1L;
    private final InetSocketAddress address;

    Backend(InetSocketAddress address) {
      this.address = address;
    }

    /** As the address itself: Netty puts it into its connect failures' messages. */
    @Override
    public String toString() {
      return address.toString();
    }
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
    if (localAddress != null || requested != null || !(remoteAddress instanceof Backend backend)) {
      return super.doConnect(unwrapped(remoteAddress), localAddress); // binds, refuses, or explains
    }
    InetSocketAddress target = backend.address;
    requested = target;
    boolean done = false;
    try {
      boolean connected = socket.connect(target) || establishedAlready();
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

  /**
   * Whether a connect that answered "in progress" has completed meanwhile: to a backend on this
   * host (loopback, or a bridge network's veth) the kernel makes the whole handshake inside the
   * {@code connect} call, after deciding its answer, so the socket is nearly always established
   * when the call returns. Asking spares waiting for the socket to be writable: an {@code
   * epoll_ctl} for that interest, a turn of the event loop, and the {@code SO_ERROR} read that
   * completes the connect; the client's request then goes in the same turn it is read, as HAProxy
   * sends it right after its connect. The question is the socket's TCP state, the first byte of
   * {@code TCP_INFO} read into an int ({@code getpeername} answers it too, but Netty turns its
   * answer into an array and an address: 0.25 us more per connection). A refused or still pending
   * connect goes Netty's way: its error comes with writability. (A backend that has already sent
   * its FIN, CLOSE_WAIT, is connected too.)
   */
  private boolean establishedAlready() {
    try {
      int state = socket.getIntOpt(IPPROTO_TCP, TCP_INFO) & 0xff;
      return state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT;
    } catch (IOException unknown) {
      return false;
    }
  }

  private static SocketAddress unwrapped(SocketAddress address) {
    return address instanceof Backend backend ? backend.address : address;
  }

  /**
   * Netty's when it asked the kernel (a connect it made its whole way); else where it was asked to
   * connect, which is where it is connected once the connect completed.
   */
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
