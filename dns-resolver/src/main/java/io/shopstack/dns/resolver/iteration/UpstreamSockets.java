package io.shopstack.dns.resolver.iteration;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.internal.ThreadExecutorMap;
import io.shopstack.common.server.Transport;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;

/**
 * Opens the per-query UDP sockets and registers each on the event loop it should live on: on NIO
 * loops as bare sockets ({@link UpstreamDatagram}), on native epoll as Netty channels.
 *
 * <p>Built directly, not through a {@code Bootstrap}: a cloned bootstrap per query copied its
 * option and attribute maps and looked up its initializer extensions, work that a socket made for
 * one datagram does not need. The socket goes on the calling thread's loop when that loop takes
 * this transport's channels (the DNS server's loop that took the client's query, or ours for a
 * later step): the answer is then read, and the client answered, on that thread without a hand-over
 * between threads, as unbound does everything on one thread. Otherwise on the upstream loop.
 */
final class UpstreamSockets {
  private final EventLoopGroup upstreamLoops;
  private final Transport transport;
  private final boolean ipv4Only;

  /**
   * @param ipv4Only the source address is an IPv4 one (or the wildcard with IPv4 servers): an IPv4
   *     server gets an IPv4 socket. Java's default is a dual-stack IPv6 one, which costs setsockopt
   *     calls at creation and the kernel's v4-mapped path on every datagram.
   */
  UpstreamSockets(EventLoopGroup upstreamLoops, Transport transport, boolean ipv4Only) {
    this.upstreamLoops = upstreamLoops;
    this.transport = transport;
    this.ipv4Only = ipv4Only;
  }

  /** A new unregistered socket for a query to {@code server}. */
  Channel open(InetAddress server) {
    boolean inet = ipv4Only && server instanceof Inet4Address;
    if (transport == Transport.EPOLL) {
      return inet
          ? new EpollDatagramChannel(SocketProtocolFamily.INET)
          : new EpollDatagramChannel();
    }
    return inet ? new NioDatagramChannel(SocketProtocolFamily.INET) : new NioDatagramChannel();
  }

  /**
   * The loop an {@link UpstreamDatagram} goes on: the caller's own when it is a NIO loop, else one
   * of the upstream loops; null when the resolver runs on another transport (then {@link #open}).
   */
  IoEventLoop datagramLoop() {
    if (transport != Transport.NIO) {
      return null;
    }
    if (ThreadExecutorMap.currentExecutor() instanceof IoEventLoop here
        && here.isCompatible(UpstreamDatagram.class)) {
      return here;
    }
    return upstreamLoops.next() instanceof IoEventLoop loop
            && loop.isCompatible(UpstreamDatagram.class)
        ? loop
        : null;
  }

  /** The protocol family of a socket for {@code server}; null for Java's dual-stack default. */
  ProtocolFamily family(InetAddress server) {
    return ipv4Only && server instanceof Inet4Address ? StandardProtocolFamily.INET : null;
  }

  /** The loop {@code channel} is to be registered on: the caller's own when it can take it. */
  EventLoop loopFor(Channel channel) {
    if (ThreadExecutorMap.currentExecutor() instanceof IoEventLoop here
        && channel.unsafe() instanceof IoHandle handle
        && here.isCompatible(handle.getClass())) {
      return here;
    }
    return upstreamLoops.next();
  }
}
