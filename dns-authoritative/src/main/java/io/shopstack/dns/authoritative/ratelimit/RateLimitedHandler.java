package io.shopstack.dns.authoritative.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopstack.dns.server.QueryHandler;
import io.shopstack.dns.server.Reply;
import io.shopstack.dns.server.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * Puts a {@link ResponseRateLimiter} in front of the answering engine for UDP, where source
 * addresses can be forged and our answers could be aimed at a victim. TCP needs a handshake, so it
 * proves the address and is never limited.
 */
public final class RateLimitedHandler implements QueryHandler {
  private final QueryHandler answers;
  private final ResponseRateLimiter limiter;
  private final Counter dropped;
  private final Counter slipped;

  public RateLimitedHandler(
      QueryHandler answers, ResponseRateLimiter limiter, MeterRegistry registry) {
    this.answers = answers;
    this.limiter = limiter;
    this.dropped =
        Counter.builder("dns_rrl_dropped")
            .description("UDP answers not sent: the client's network was over its rate")
            .register(registry);
    this.slipped =
        Counter.builder("dns_rrl_slipped")
            .description("UDP answers sent empty with TC=1 instead, inviting a retry over TCP")
            .register(registry);
  }

  @Override
  public CompletionStage<Message> handle(
      Message query, InetSocketAddress client, Transport transport) {
    if (transport == Transport.TCP) {
      return answers.handle(query, client, transport);
    }
    return switch (limiter.charge(client.getAddress(), System.nanoTime())) {
      case SEND -> answers.handle(query, client, transport);
      case DROP -> {
        dropped.increment();
        yield CompletableFuture.completedFuture(null);
      }
      case SLIP -> {
        slipped.increment();
        yield CompletableFuture.completedFuture(slip(query));
      }
    };
  }

  @Override
  public CompletionStage<List<Message>> handleOverTcp(Message query, InetSocketAddress client) {
    return answers.handleOverTcp(query, client);
  }

  /** Just the header and question with TC set: small, so useless for amplification. */
  private static Message slip(Message query) {
    Message response = Reply.to(query);
    response.getHeader().setFlag(Flags.TC);
    return response;
  }
}
