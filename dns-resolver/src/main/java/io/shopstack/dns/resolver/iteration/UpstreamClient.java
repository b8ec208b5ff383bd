package io.shopstack.dns.resolver.iteration;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

/**
 * Sends one query to one authoritative server and returns its response.
 *
 * <p>Why dnsjava's {@link SimpleResolver} rather than a Netty DNS client: it is asynchronous
 * (non-blocking NIO on one shared selector thread), binds each query to our source address with a
 * fresh random source port (RFC 5452), checks that the response's ID and question match the query,
 * and on a truncated UDP answer (TC) asks again over TCP. A Netty client would need all four
 * written by hand. Completions run on {@code executor}, never on dnsjava's selector thread.
 */
public final class UpstreamClient {
  private final InetAddress sourceAddress;
  private final int serverPort;
  private final Executor executor;

  /**
   * @param sourceAddress address outgoing queries are sent from; a wildcard address lets the kernel
   *     choose (as in Docker, where the container has a single address)
   * @param serverPort the port every authoritative server listens on
   */
  public UpstreamClient(InetAddress sourceAddress, int serverPort, Executor executor) {
    this.sourceAddress = sourceAddress;
    this.serverPort = serverPort;
    this.executor = executor;
  }

  CompletionStage<Message> send(Message query, InetAddress server, Duration timeout) {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(server, serverPort));
    if (!sourceAddress.isAnyLocalAddress()) {
      resolver.setLocalAddress(new InetSocketAddress(sourceAddress, 0));
    }
    resolver.setTimeout(timeout);
    // dnsjava checks its timeouts about once a second; our own timer keeps each one (and with
    // them the resolution's deadline) to the millisecond.
    return resolver
        .sendAsync(query, executor)
        .toCompletableFuture()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
