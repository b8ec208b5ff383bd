package io.shopstack.dns.resolver.iteration;

import io.netty.channel.EventLoopGroup;
import io.shopstack.common.server.Transport;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

/**
 * Sends one query to one authoritative server and returns its response.
 *
 * <p>Over UDP each query gets its own socket on a fresh random source port (RFC 5452), connected to
 * the server, and waits there for the datagram that matches it ({@link UpstreamDatagram}, on NIO
 * and native epoll loops alike); forgeries and stray answers are dropped without ending the wait. A
 * truncated answer (TC) is not used: the query is asked again over TCP, through dnsjava's {@link
 * SimpleResolver}, which checks ID and question the same way. UDP answers are handled on the
 * upstream event loop (the resolution code never blocks); TCP ones on {@code executor}, never on
 * dnsjava's selector thread.
 */
public final class UpstreamClient {
  private final UpstreamSockets sockets;
  private final InetAddress sourceAddress;
  private final int serverPort;
  private final Executor executor;
  private final UnwantedReplies unwanted;
  private final int maxOutstanding;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final LongAdder refusedForCapacity = new LongAdder();

  /** A query not sent because {@code limits.maxOutstandingQueries} were already in flight. */
  static final class Overloaded extends RuntimeException {
    Overloaded(int limit) {
      super("overloaded: " + limit + " upstream queries already in flight", null, false, false);
    }
  }

  /**
   * @param upstreamLoops where per-query sockets live when the caller is not on a loop of ours
   * @param transport the transport of every event loop of the resolver (and so of its sockets)
   * @param sourceAddress address outgoing queries are sent from; a wildcard address lets the kernel
   *     choose (as in Docker, where the container has a single address)
   * @param serverPort the port every authoritative server listens on
   * @param maxOutstanding upstream queries allowed in flight at once; more fail at once
   * @param unwanted counts the datagrams that answer nothing asked (and defends against a flood)
   */
  public UpstreamClient(
      EventLoopGroup upstreamLoops,
      Transport transport,
      InetAddress sourceAddress,
      int serverPort,
      int maxOutstanding,
      UnwantedReplies unwanted,
      Executor executor) {
    this.unwanted = unwanted;
    this.sockets =
        new UpstreamSockets(upstreamLoops, transport, !(sourceAddress instanceof Inet6Address));
    this.maxOutstanding = maxOutstanding;
    this.sourceAddress = sourceAddress;
    this.serverPort = serverPort;
    this.executor = executor;
  }

  /** Datagrams dropped because they answered nothing we asked (unbound's unwanted replies). */
  public long unwantedReplies() {
    return unwanted.total();
  }

  /** Queries not sent because too many were in flight. */
  public long refusedForCapacity() {
    return refusedForCapacity.sum();
  }

  /** Upstream queries in flight now. */
  public int outstanding() {
    return outstanding.get();
  }

  /**
   * The server's answer; fails with {@link Overloaded}, sending nothing, when {@code
   * maxOutstanding} queries are in flight already.
   */
  CompletionStage<Message> send(Message query, InetAddress server, Duration timeout) {
    if (outstanding.incrementAndGet() > maxOutstanding) {
      outstanding.decrementAndGet();
      refusedForCapacity.increment();
      return CompletableFuture.failedFuture(new Overloaded(maxOutstanding));
    }
    return exchange(query, server, timeout)
        .whenComplete((response, error) -> outstanding.decrementAndGet());
  }

  private CompletableFuture<Message> exchange(Message query, InetAddress server, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return overUdp(query, server, timeout)
        .thenCompose(
            response -> {
              if (!response.getHeader().getFlag(Flags.TC)) {
                return CompletableFuture.completedFuture(response);
              }
              long left = Math.max(1, deadline - System.nanoTime());
              return overTcp(query, server, Duration.ofNanos(left));
            });
  }

  private CompletableFuture<Message> overUdp(Message query, InetAddress server, Duration timeout) {
    CompletableFuture<Message> answer = new CompletableFuture<>();
    UpstreamDatagram.ask(
        sockets.loop(),
        new UpstreamDatagram.Request(
            sockets.family(server),
            new InetSocketAddress(sourceAddress, 0),
            new InetSocketAddress(server, serverPort),
            query,
            timeout.toNanos(),
            unwanted,
            answer));
    return answer;
  }

  private CompletableFuture<Message> overTcp(Message query, InetAddress server, Duration timeout) {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(server, serverPort));
    resolver.setTCP(true);
    if (!sourceAddress.isAnyLocalAddress()) {
      resolver.setLocalAddress(new InetSocketAddress(sourceAddress, 0));
    }
    resolver.setTimeout(timeout);
    // dnsjava checks its timeouts about once a second; our own timer keeps each one (and with
    // them the resolution's deadline) to the millisecond.
    return LoopTimers.within(
        resolver.sendAsync(query, executor).toCompletableFuture(), timeout.toMillis());
  }
}
