package io.shopstack.common.server;

import io.netty.channel.ChannelPromise;
import io.netty.channel.IoHandle;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.Native;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * A client accepted by an {@link EpollListener}: Netty's epoll stream channel with the stack's own
 * socket settings ({@link EpollSocketConfig}), so that a connection costs two {@code getsockopt}
 * fewer than on Netty's {@code EpollSocketChannel} (its {@code SO_SNDBUF} read when made, its
 * {@code SO_LINGER} read at close), no {@code setsockopt(TCP_NODELAY)} (the listener's is
 * inherited), one {@code epoll_ctl} fewer: a client that is read as soon as it is active joins the
 * epoll set with its read interest (see {@link #doRegister}), and no {@code getsockname}: none for
 * the address family (its listener's, see {@link KnownFamilySockets}), none for the local address
 * where it is never asked for. Reading, writing, half-closure and closing are Netty's own.
 */
public final class AcceptedEpollChannel extends AbstractEpollStreamChannel
    implements SocketChannel {
  private static final EpollIoEvent READABLE = () -> EpollIoOps.EPOLLIN;

  private final EpollSocketConfig config;
  private final EpollListener listener;
  private final InetSocketAddress remote;
  private volatile InetSocketAddress local;

  /**
   * Netty's constructor for accepted sockets asks the kernel for the local address at once ({@code
   * getsockname}), a system call per connection that most connections never need: a splice without
   * PROXY protocol or access log never reads it. This one is made active with the address {@code
   * accept4} returned and asks for the local address when it is first wanted.
   */
  AcceptedEpollChannel(EpollListener listener, int fd, InetSocketAddress remote) {
    super(KnownFamilySockets.accepted(fd, listener.socket()), false);
    this.listener = listener;
    this.remote = remote;
    active = true;
    config = EpollSocketConfig.inheritedFromListener(this);
  }

  /**
   * Netty adds a new socket to its epoll set without read interest and, when the first read is
   * asked for, adds that interest with a second {@code epoll_ctl}: two system calls where one does,
   * at about a microsecond each here. A client that is read at once, on auto-read or {@link
   * EpollSocketConfig#READS_AT_ONCE}, joins the set with its read interest. Both as configured now,
   * before its handlers are added: a server that turns auto-read off in its initializer has the
   * interest taken out again by Netty (one call more), so it sets it as a {@code childOption}.
   */
  @Override
  protected void doRegister(ChannelPromise promise) {
    if (config.isAutoRead() || config.readsAtOnce()) {
      try {
        setFlag(Native.EPOLLIN); // not registered yet: changes the interest to register, no call
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    super.doRegister(promise);
  }

  /**
   * Reads what the socket holds now, as if epoll had just reported it readable: a client read in
   * the turn it was accepted, whose request is usually there already, is served a loop turn sooner
   * (one {@code epoll_wait} and one wake-up fewer on the way), as HAProxy's speculative I/O reads a
   * new connection before it polls for it. Call on its event loop, with a read asked for ({@link
   * #read()}) and auto-read off: it reads one chunk then, or nothing if nothing has come yet (one
   * {@code recvfrom} answering {@code EAGAIN}); epoll goes on reporting the socket as before.
   */
  public void readNow() {
    if (isActive() && registration() != null) {
      ((IoHandle) unsafe()).handle(registration(), READABLE);
    }
  }

  @Override
  public EpollSocketConfig config() {
    return config;
  }

  @Override
  public ServerSocketChannel parent() {
    return listener;
  }

  @Override
  protected InetSocketAddress remoteAddress0() {
    return remote;
  }

  /**
   * The listener's own address when it is bound to one; behind a wildcard, asked of the kernel
   * once, while the socket is open (a closed socket's number may already be another's): whoever
   * wants it after the close asks while the client is active.
   */
  @Override
  protected InetSocketAddress localAddress0() {
    InetSocketAddress known = local;
    if (known == null) {
      InetSocketAddress bound = listener.localAddress();
      if (bound != null && !bound.getAddress().isAnyLocalAddress()) {
        known = bound;
      } else if (socket.isOpen()) {
        known = socket.localAddress();
      }
      local = known;
    }
    return known;
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
