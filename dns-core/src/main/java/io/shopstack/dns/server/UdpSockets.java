package io.shopstack.dns.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.shopstack.common.server.Transport;

/**
 * How DNS over UDP uses the transport it is given. On native epoll: recvmmsg, many datagrams per
 * system call into one pooled buffer, sendmmsg for the answers one read burst flushes together
 * (Netty does that by itself when more than one datagram is queued), and with more than one core
 * several sockets on the one port (SO_REUSEPORT), each read by its own event loop, as NSD runs one
 * process per core. On NIO (no native library, another OS): one socket, one datagram per call.
 */
final class UdpSockets {
  /**
   * Bytes kept for each received datagram: what Netty's datagram channels read by default, so a
   * query longer than that is cut and answered FORMERR the same way on both transports.
   */
  static final int DATAGRAM_BYTES = 2048;

  /** Datagrams one recvmmsg call may take: enough to empty a busy socket in a few calls. */
  static final int DATAGRAMS_PER_READ = 32;

  private final Transport transport;
  private final int count;

  private UdpSockets(Transport transport, int count) {
    this.transport = transport;
    this.count = count;
  }

  /** {@code wanted} sockets on epoll, one on NIO (which has no SO_REUSEPORT in Netty). */
  static UdpSockets on(Transport transport, int wanted) {
    return new UdpSockets(transport, transport == Transport.EPOLL ? Math.max(1, wanted) : 1);
  }

  int count() {
    return count;
  }

  Bootstrap configure(Bootstrap bootstrap) {
    // Pooled direct buffers for queries and answers. Netty 4.2's default (adaptive) allocator
    // makes a new NIO view of a buffer each time the socket reads or writes it: garbage per query.
    bootstrap.option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
    if (transport != Transport.EPOLL) {
      return bootstrap;
    }
    return bootstrap
        .option(EpollChannelOption.SO_REUSEPORT, count > 1)
        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DATAGRAM_BYTES)
        // recvmmsg is used when one read buffer holds more than one datagram of the size above.
        .option(
            ChannelOption.RCVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(DATAGRAM_BYTES * DATAGRAMS_PER_READ));
  }

  @Override
  public String toString() {
    if (transport == Transport.EPOLL) {
      return "native epoll, "
          + count
          + (count == 1 ? " UDP socket" : " UDP sockets (SO_REUSEPORT)")
          + ", up to "
          + DATAGRAMS_PER_READ
          + " datagrams per recvmmsg";
    }
    Throwable why = Transport.unavailabilityCause();
    return "NIO, one UDP socket"
        + (why == null
            ? " (native epoll not asked for)"
            : " (native epoll unavailable: " + why + ")");
  }
}
