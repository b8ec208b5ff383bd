package io.shopstack.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The per-answer counts are exact whichever threads counted them, and the latency histogram times
 * exactly one answer in {@link DnsServerMetrics#LATENCY_SAMPLE_EVERY} per thread, the first
 * included.
 */
class DnsServerMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DnsServerMetrics metrics = new DnsServerMetrics(registry);

  private void answer(int slot, boolean truncated) {
    metrics.answered(slot, truncated, metrics.start());
  }

  private double answers(String qtype, String rcode) {
    return registry
        .get("dns_answers")
        .tags("qtype", qtype, "rcode", rcode)
        .functionCounter()
        .count();
  }

  private long timed() {
    return registry.get("dns_query_duration").timer().count();
  }

  @Test
  void everyAnswerIsCountedAndOneInNIsTimed() {
    int a = metrics.answers(Type.A, Rcode.NOERROR);
    int nx = metrics.answers(Type.AAAA, Rcode.NXDOMAIN);
    int n = 2 * DnsServerMetrics.LATENCY_SAMPLE_EVERY + 1;
    for (int i = 0; i < n; i++) {
      answer(a, i % 3 == 0);
    }
    answer(nx, false);

    assertThat(answers("A", "NOERROR")).isEqualTo(n);
    assertThat(answers("AAAA", "NXDOMAIN")).isEqualTo(1);
    assertThat(registry.get("dns_truncated_answers").functionCounter().count())
        .isEqualTo((n + 2) / 3);
    // Answers 0, 16 and 32 of this thread; the 34th (index 33) is not.
    assertThat(timed()).isEqualTo(3);
    assertThat(metrics.answers(Type.A, Rcode.NOERROR)).as("one slot per pair").isEqualTo(a);
  }

  @Test
  void countsFromManyThreadsAddUp() throws Exception {
    int slot = metrics.answers(Type.A, Rcode.NOERROR);
    int threads = 4;
    int each = 10_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int t = 0; t < threads; t++) {
        pool.execute(
            () -> {
              for (int i = 0; i < each; i++) {
                answer(slot, false);
              }
            });
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(answers("A", "NOERROR")).isEqualTo((double) threads * each);
    assertThat(timed()).isEqualTo((long) threads * each / DnsServerMetrics.LATENCY_SAMPLE_EVERY);
  }

  @Test
  void replayedAnswersCountAsReplayedAndAsAnswers() {
    int slot = metrics.answers(Type.A, Rcode.NOERROR);
    for (int i = 0; i < 5; i++) {
      metrics.replayed(slot, true, metrics.start());
    }
    assertThat(registry.get("dns_prepared_answers_replayed").functionCounter().count())
        .isEqualTo(5);
    assertThat(answers("A", "NOERROR")).isEqualTo(5);
    assertThat(registry.get("dns_truncated_answers").functionCounter().count()).isEqualTo(5);
  }
}
