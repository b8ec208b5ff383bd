package io.shopstack.common.server;

import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.LinuxSocket;
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
 * {@code SO_LINGER} read at close), and one {@code epoll_ctl} fewer: a client that is read as soon
 * as it is active joins the epoll set with its read interest (see {@link #doRegister}). Reading,
 * writing, half-closure and closing are Netty's own.
 */
public final class AcceptedEpollChannel extends AbstractEpollStreamChannel
    implements SocketChannel {
  private final EpollSocketConfig config;

  AcceptedEpollChannel(EpollListener listener, int fd, InetSocketAddress remote) {
    super(listener, LinuxSocket.newSocket(fd), remote);
    config = new EpollSocketConfig(this);
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
