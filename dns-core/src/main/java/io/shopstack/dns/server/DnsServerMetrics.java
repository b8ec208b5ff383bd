package io.shopstack.dns.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What every DNS server exposes on /metrics: answers by type and rcode, how long answering took (a
 * Prometheus histogram, so quantiles can be aggregated across instances), garbage, TC answers and
 * TCP connections turned away. Counters are looked up once per (type, rcode), not per query.
 */
final class DnsServerMetrics {
  private final MeterRegistry registry;
  private final Counter malformed;
  private final Counter truncated;
  private final Counter tcpRejected;
  private final Counter replayed;
  private final Timer latency;
  private final ConcurrentHashMap<Integer, Counter> answers = new ConcurrentHashMap<>();

  DnsServerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.malformed = registry.counter("dns_malformed_queries");
    this.truncated = registry.counter("dns_truncated_answers");
    this.tcpRejected =
        Counter.builder("dns_tcp_connections_rejected")
            .description("TCP connections closed at once: the client had too many open")
            .register(registry);
    this.replayed =
        Counter.builder("dns_prepared_answers_replayed")
            .description("Answers sent from prepared bytes, without parsing or encoding a message")
            .register(registry);
    this.latency =
        Timer.builder("dns_query_duration")
            .description("From a query's arrival to its answer being handed to the socket")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(5))
            .register(registry);
  }

  void malformed() {
    malformed.increment();
  }

  void tcpRejected() {
    tcpRejected.increment();
  }

  /**
   * @param startNanos {@link System#nanoTime()} when the query arrived
   */
  void answered(Message response, boolean truncatedOnWire, long startNanos) {
    Record question = response.getQuestion();
    answered(
        answers(question == null ? -1 : question.getType(), response.getRcode()),
        truncatedOnWire,
        startNanos);
  }

  /** A prepared answer went out. */
  void replayed(PreparedAnswers.Answer answer, long startNanos) {
    replayed.increment();
    answered(answer.answers(), answer.truncated(), startNanos);
  }

  /** An answer whose counter was looked up before (a prepared answer keeps its own). */
  void answered(Counter answers, boolean truncatedOnWire, long startNanos) {
    latency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    answers.increment();
    if (truncatedOnWire) {
      truncated.increment();
    }
  }

  /** The counter of answers of this type and rcode; a qtype of -1 means no question. */
  Counter answers(int qtype, int rcode) {
    return answers.computeIfAbsent(
        (qtype << 12) | (rcode & 0xfff),
        key ->
            registry.counter(
                "dns_answers",
                "qtype",
                qtype < 0 ? "none" : Type.string(qtype),
                "rcode",
                Rcode.string(rcode)));
  }
}
