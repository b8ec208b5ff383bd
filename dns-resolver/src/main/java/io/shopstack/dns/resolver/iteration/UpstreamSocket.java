package io.shopstack.dns.resolver.iteration;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoOps;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The socket under one {@link UpstreamDatagram}, registered with its event loop as it is, without a
 * Netty channel around it: a JDK one on NIO loops ({@link NioUpstreamSocket}), a native one on
 * epoll loops ({@link EpollUpstreamSocket}). Bound to a kernel-chosen random port and connected to
 * the server, so the kernel drops datagrams from any other address or port before we see them.
 */
interface UpstreamSocket extends IoHandle {
  /** The loop's readiness interest that means: a datagram (or an ICMP error) can be read. */
  IoOps readable();

  /**
   * Sends the datagram between {@code position} and {@code limit}; false when there was no room.
   */
  boolean send(ByteBuffer datagram) throws IOException;

  /**
   * Closes the socket; once registered, only after its registration was cancelled. Never fails:
   * closing a datagram socket has nothing to flush, so there is nothing to lose.
   */
  @Override
  void close();

  /** A new socket for {@code request}, of the kind {@code loop} can register. */
  static UpstreamSocket open(
      IoEventLoop loop, UpstreamDatagram.Request request, UpstreamDatagram in) throws IOException {
    return loop.isCompatible(EpollUpstreamSocket.class)
        ? EpollUpstreamSocket.open(request, in)
        : NioUpstreamSocket.open(request, in);
  }
}
