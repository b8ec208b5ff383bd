package io.shopstack.dns.authoritative.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shopstack.dns.server.Admission;
import io.shopstack.dns.server.QueryHandler;
import io.shopstack.dns.server.Transport;
import io.shopstack.dns.server.UnchangedAnswers;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * Puts a {@link ResponseRateLimiter} in front of the answering engine for UDP, where source
 * addresses can be forged and our answers could be aimed at a victim. TCP needs a handshake, so it
 * proves the address and is never limited.
 *
 * <p>The transport asks {@link #admit} once for every answer it is about to make, a replayed
 * prepared answer or the engine's own wire answer as much as one this handler computes, and sends
 * nothing or the empty TC=1 slip itself. So the answers stay as cacheable as the engine's ({@link
 * #answerSnapshot}) and RRL costs one account lookup per answer, not the fast path.
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
  public Admission admit(InetSocketAddress client, Transport transport) {
    if (transport == Transport.TCP) {
      return Admission.SEND;
    }
    return switch (limiter.charge(client.getAddress(), System.nanoTime())) {
      case SEND -> Admission.SEND;
      case DROP -> {
        dropped.increment();
        yield Admission.DROP;
      }
      case SLIP -> {
        slipped.increment();
        yield Admission.SLIP;
      }
    };
  }

  /** Admitted already ({@link #admit}): answered by the engine. */
  @Override
  public CompletionStage<Message> handle(
      Message query, InetSocketAddress client, Transport transport) {
    return answers.handle(query, client, transport);
  }

  @Override
  public CompletionStage<List<Message>> handleOverTcp(Message query, InetSocketAddress client) {
    return answers.handleOverTcp(query, client);
  }

  @Override
  public CompletionStage<Iterator<Message>> streamOverTcp(Message query, InetSocketAddress client) {
    return answers.streamOverTcp(query, client);
  }

  /**
   * The engine's own wire answers (the GSLB's fast path): the transport admits them like replayed
   * ones, so limiting keeps that path too.
   */
  @Override
  public ByteBuf answerFromWire(
      ByteBufAllocator alloc,
      int headroom,
      ByteBuf query,
      InetSocketAddress client,
      Transport transport) {
    return answers.answerFromWire(alloc, headroom, query, client, transport);
  }

  /** The engine's: limiting decides whether an answer goes out, never what it says. */
  @Override
  public Object answerSnapshot() {
    return answers.answerSnapshot();
  }

  @Override
  public UnchangedAnswers unchangedAnswers(Object before, Object after) {
    return answers.unchangedAnswers(before, after);
  }
}
