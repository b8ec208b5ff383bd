package io.shopstack.common.server;

import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollServerChannel;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.unix.NativeInetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A TCP listening socket on epoll whose accepted clients are {@link AcceptedEpollChannel}s, the
 * channel {@link Transport#EPOLL} listens with. Netty's {@code EpollServerSocketChannel} is final
 * and makes its own client channel, which reads two socket options per connection that no server of
 * the stack uses; accepting itself (the batch of {@link AcceptBatch}, the pause when auto-read is
 * off) is Netty's {@code AbstractEpollServerChannel}'s, unchanged.
 */
public final class EpollListener extends AbstractEpollServerChannel implements ServerSocketChannel {
  private final EpollListenerConfig config;

  /** A dual-stack socket, as Netty's listener makes by default. */
  public EpollListener() {
    super(LinuxSocket.newSocketStream(), false);
    config = new EpollListenerConfig(this);
  }

  /**
   * A socket already bound and listening, passed over by another process (SCM_RIGHTS): a server
   * that replaces a running one takes its predecessor's listeners, so the clients waiting in their
   * accept queues are not reset when the predecessor closes its copies (HAProxy's {@code -x}).
   * Register it ({@link ServerLifecycle#register}); it is not bound again.
   */
  public EpollListener(int listeningFd) {
    super(LinuxSocket.newSocket(listeningFd));
    config = new EpollListenerConfig(this);
  }

  @Override
  protected void doBind(SocketAddress local) throws Exception {
    super.doBind(local);
    socket.listen(config.getBacklog());
    active = true;
  }

  @Override
  protected Channel newChildChannel(int fd, byte[] remote, int offset, int length) {
    return new AcceptedEpollChannel(this, fd, NativeInetAddress.address(remote, offset, length));
  }

  /** Its socket, whose family its clients' sockets have. */
  LinuxSocket socket() {
    return socket;
  }

  @Override
  public EpollListenerConfig config() {
    return config;
  }

  @Override
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) super.localAddress();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return null;
  }
}
