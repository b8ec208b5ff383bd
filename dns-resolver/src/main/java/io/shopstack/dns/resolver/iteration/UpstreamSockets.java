package io.shopstack.dns.resolver.iteration;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.util.internal.ThreadExecutorMap;
import io.shopstack.common.server.Transport;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;

/**
 * Where the per-query UDP sockets ({@link UpstreamDatagram}) go, and of which family.
 *
 * <p>A socket goes on the calling thread's loop when that loop can take it (the DNS server's loop
 * that took the client's query, or ours for a later step): the answer is then read, and the client
 * answered, on that thread without a hand-over between threads, as unbound does everything on one
 * thread. Otherwise on the upstream loop.
 */
final class UpstreamSockets {
  private final EventLoopGroup upstreamLoops;
  private final Class<? extends UpstreamSocket> socketType;
  private final boolean ipv4Only;

  /**
   * @param ipv4Only the source address is an IPv4 one (or the wildcard with IPv4 servers): an IPv4
   *     server gets an IPv4 socket. Java's default is a dual-stack IPv6 one, which costs setsockopt
   *     calls at creation and the kernel's v4-mapped path on every datagram.
   */
  UpstreamSockets(EventLoopGroup upstreamLoops, Transport transport, boolean ipv4Only) {
    this.upstreamLoops = upstreamLoops;
    this.socketType =
        transport == Transport.EPOLL ? EpollUpstreamSocket.class : NioUpstreamSocket.class;
    this.ipv4Only = ipv4Only;
  }

  /** The loop the next socket goes on: the caller's own when it can take it, else ours. */
  IoEventLoop loop() {
    if (ThreadExecutorMap.currentExecutor() instanceof IoEventLoop here
        && here.isCompatible(socketType)) {
      return here;
    }
    return (IoEventLoop) upstreamLoops.next();
  }

  /** The protocol family of a socket for {@code server}; null for Java's dual-stack default. */
  ProtocolFamily family(InetAddress server) {
    return ipv4Only && server instanceof Inet4Address ? StandardProtocolFamily.INET : null;
  }
}
