package io.shopstack.dns.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What every DNS server exposes on /metrics: answers by type and rcode, how long answering took (a
 * Prometheus histogram, so quantiles can be aggregated across instances), garbage, TC answers and
 * TCP connections turned away. Counters are looked up once per (type, rcode), not per query.
 *
 * <p>What is counted per answer costs almost nothing on the fast path: answers, replays and
 * truncations are {@link PerThreadCounts} summed when /metrics is read, and the latency histogram
 * times one answer in {@link #LATENCY_SAMPLE_EVERY} of each thread (the first included), since a
 * Micrometer timer per answer was a fifth of the CPU a replayed answer took. So {@code
 * dns_query_duration_seconds_count} counts timed answers; {@code dns_answers_total} counts them
 * all.
 *
 * <p>Every label value comes from a closed set: the query type is chosen by whoever sends the
 * packet, so labelling by it as sent would let random packets create series without bound (50,000
 * of them once grew /metrics to 4,800 series). Types and rcodes outside the sets count as "other".
 */
final class DnsServerMetrics {
  /** Query types worth a series of their own; the rest of the 65,536 are "other". */
  static final Set<Integer> KNOWN_TYPES =
      Set.of(
          Type.A,
          Type.NS,
          Type.CNAME,
          Type.SOA,
          Type.PTR,
          Type.MX,
          Type.TXT,
          Type.AAAA,
          Type.SRV,
          Type.NAPTR,
          Type.DS,
          Type.RRSIG,
          Type.NSEC,
          Type.DNSKEY,
          Type.NSEC3,
          Type.NSEC3PARAM,
          Type.TLSA,
          Type.CDS,
          Type.CDNSKEY,
          Type.SVCB,
          Type.HTTPS,
          Type.CAA,
          Type.ANY,
          Type.AXFR,
          Type.IXFR);

  /** Rcodes we can send, by their name; anything else (a handler's invention) is "other". */
  static final Set<Integer> KNOWN_RCODES =
      Set.of(
          Rcode.NOERROR,
          Rcode.FORMERR,
          Rcode.SERVFAIL,
          Rcode.NXDOMAIN,
          Rcode.NOTIMP,
          Rcode.REFUSED,
          Rcode.YXDOMAIN,
          Rcode.YXRRSET,
          Rcode.NXRRSET,
          Rcode.NOTAUTH,
          Rcode.NOTZONE,
          Rcode.BADVERS,
          Rcode.BADCOOKIE);

  private static final int NO_QUESTION = -1;
  private static final int OTHER = -2;

  /** One answer in this many, per thread, goes into the latency histogram. A power of two. */
  static final int LATENCY_SAMPLE_EVERY = 16;

  /** What {@link #start()} returns for a query that is not timed. */
  static final long UNTIMED = Long.MIN_VALUE;

  private static final int REPLAYED = 0;
  private static final int TRUNCATED = 1;
  private static final int STARTED = 2; // queries begun on this thread: picks those timed
  private static final int FIRST_ANSWERS = 3;

  /** Every (type, rcode) pair the closed sets allow, plus the fixed slots. */
  private static final int SLOTS =
      FIRST_ANSWERS + (KNOWN_TYPES.size() + 2) * (KNOWN_RCODES.size() + 1);

  /** Why a TCP connection was closed as soon as it was accepted. */
  enum TcpRejection {
    PER_CLIENT,
    TOTAL
  }

  private final MeterRegistry registry;
  private final Counter malformed;
  private final Counter tcpRejectedPerClient;
  private final Counter tcpRejectedTotal;
  private final Counter tcpQueryTimedOut;
  private final Timer latency;
  private final PerThreadCounts counts = new PerThreadCounts(SLOTS);
  private final AtomicInteger nextAnswersSlot = new AtomicInteger(FIRST_ANSWERS);
  private final ConcurrentHashMap<Integer, Integer> answers = new ConcurrentHashMap<>();

  /** Types below this (CAA is 257) with rcodes below 16 find their slot in {@link #seen}. */
  private static final int SEEN_TYPES = 512;

  /** Slot by {@code qtype << 4 | rcode}, 0 until looked up once (slot 0 is never an answer's). */
  private final int[] seen = new int[SEEN_TYPES << 4];

  DnsServerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.malformed = registry.counter("dns_malformed_queries");
    FunctionCounter.builder("dns_truncated_answers", counts, c -> c.sum(TRUNCATED))
        .register(registry);
    this.tcpRejectedPerClient = tcpRejected("per_client", registry);
    this.tcpRejectedTotal = tcpRejected("total", registry);
    this.tcpQueryTimedOut =
        Counter.builder("dns_tcp_queries_timed_out")
            .description("TCP connections closed: a query begun was not complete in time")
            .register(registry);
    FunctionCounter.builder("dns_prepared_answers_replayed", counts, c -> c.sum(REPLAYED))
        .description("Answers sent from prepared bytes, without parsing or encoding a message")
        .register(registry);
    this.latency =
        Timer.builder("dns_query_duration")
            .description(
                "From a query's arrival to its answer being handed to the socket; one answer in "
                    + LATENCY_SAMPLE_EVERY
                    + " per thread is timed")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(5))
            .register(registry);
  }

  void malformed() {
    malformed.increment();
  }

  private static Counter tcpRejected(String limit, MeterRegistry registry) {
    return Counter.builder("dns_tcp_connections_rejected")
        .description("TCP connections closed at once: over the per-client or the total limit")
        .tag("limit", limit)
        .register(registry);
  }

  void tcpRejected(TcpRejection why) {
    (why == TcpRejection.TOTAL ? tcpRejectedTotal : tcpRejectedPerClient).increment();
  }

  void tcpQueryTimedOut() {
    tcpQueryTimedOut.increment();
  }

  /**
   * Called when a query arrives: {@link System#nanoTime()} for a query whose answer will be timed,
   * else {@link #UNTIMED}, so the untimed ones do not even read the clock.
   */
  long start() {
    long begun = PerThreadCounts.increment(counts.mine(), STARTED);
    return (begun & (LATENCY_SAMPLE_EVERY - 1)) == 0 ? System.nanoTime() : UNTIMED;
  }

  /**
   * @param start what {@link #start()} returned when the query arrived
   */
  void answered(Message response, boolean truncatedOnWire, long start) {
    Record question = response.getQuestion();
    answered(
        answers(question == null ? NO_QUESTION : question.getType(), response.getRcode()),
        truncatedOnWire,
        start);
  }

  /** A prepared answer went out: the metrics slot it keeps and its TC bit. */
  void replayed(int answersSlot, boolean truncated, long start) {
    long[] mine = counts.mine();
    PerThreadCounts.increment(mine, REPLAYED);
    answered(mine, answersSlot, truncated, start);
  }

  /**
   * An answer a handler wrote itself ({@link QueryHandler#answerFromWire}), read from its header
   * and question starting at {@code at}: counted like any other, without parsing it.
   */
  void answeredFromWire(ByteBuf answer, int at, long start) {
    int p = at + WireFormat.HEADER_LENGTH;
    int qtype = NO_QUESTION;
    if (answer.getUnsignedShort(at + 4) == 1) {
      for (int label = answer.getUnsignedByte(p); label != 0; label = answer.getUnsignedByte(p)) {
        p += 1 + label;
      }
      qtype = answer.getUnsignedShort(p + 1);
    }
    boolean truncatedOnWire = (answer.getUnsignedByte(at + 2) & 0x02) != 0;
    answered(answers(qtype, answer.getUnsignedByte(at + 3) & 0x0f), truncatedOnWire, start);
  }

  /** An answer whose counter was looked up before (a prepared answer keeps its own). */
  void answered(int answersSlot, boolean truncatedOnWire, long start) {
    answered(counts.mine(), answersSlot, truncatedOnWire, start);
  }

  private void answered(long[] mine, int answersSlot, boolean truncatedOnWire, long start) {
    if (start != UNTIMED) {
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
    PerThreadCounts.increment(mine, answersSlot);
    if (truncatedOnWire) {
      PerThreadCounts.increment(mine, TRUNCATED);
    }
  }

  /**
   * The slot counting answers of this type and rcode (for {@link #answered(int, boolean, long)}); a
   * qtype of -1 means no question. Its series is registered the first time it is asked for.
   */
  int answers(int qtype, int rcode) {
    // Answers a handler writes from the wire are looked up per answer: common pairs from an array.
    int known =
        qtype >= 0 && qtype < SEEN_TYPES && rcode >= 0 && rcode < 16 ? seen[qtype << 4 | rcode] : 0;
    if (known != 0) {
      return known;
    }
    int slot = register(qtype, rcode);
    if (qtype >= 0 && qtype < SEEN_TYPES && rcode >= 0 && rcode < 16) {
      seen[qtype << 4 | rcode] = slot; // a racing writer writes the same slot
    }
    return slot;
  }

  private int register(int qtype, int rcode) {
    int type = qtype == NO_QUESTION || KNOWN_TYPES.contains(qtype) ? qtype : OTHER;
    int code = KNOWN_RCODES.contains(rcode) ? rcode : OTHER;
    return answers.computeIfAbsent(
        (type << 16) | (code & 0xffff),
        key -> {
          int slot = nextAnswersSlot.getAndIncrement();
          FunctionCounter.builder("dns_answers", counts, c -> c.sum(slot))
              .tags("qtype", typeLabel(type), "rcode", rcodeLabel(code))
              .register(registry);
          return slot;
        });
  }

  private static String typeLabel(int type) {
    return switch (type) {
      case NO_QUESTION -> "none";
      case OTHER -> "other";
      default -> Type.string(type);
    };
  }

  private static String rcodeLabel(int rcode) {
    return rcode == OTHER ? "other" : Rcode.string(rcode);
  }
}
