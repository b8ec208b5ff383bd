package io.shopstack.client.load;

import java.io.PrintStream;
import java.util.Map;
import java.util.StringJoiner;
import org.HdrHistogram.Histogram;

/** The end of a load run in a few aligned lines: what was placed, how fast, what went wrong. */
public final class LoadSummary {
  private LoadSummary() {}

  public static void print(LoadRun.Outcome outcome, LoadPlan plan, PrintStream out) {
    LoadTally tally = outcome.tally();
    out.println();
    out.println("Summary");
    out.printf(
        "  orders    %d placed of %d, %d created (201), %d failed, in %.3f s = %.1f orders/s%n",
        tally.done(),
        plan.orders(),
        tally.created(),
        tally.failed(),
        outcome.took().toNanos() / 1e9,
        outcome.ordersPerSecond());
    if (outcome.capped()) {
      out.printf(
          "  capped    the --duration cap of %d s passed: %d of %d orders were not started%n",
          plan.cap().toSeconds(), plan.orders() - outcome.started(), plan.orders());
    }
    StringJoiner statuses = new StringJoiner("  ");
    tally.statuses().forEach((status, count) -> statuses.add(status + " x" + count));
    out.println("  status    " + (tally.statuses().isEmpty() ? "none answered" : statuses));
    Histogram latency = tally.latencyMicros();
    if (latency.getTotalCount() > 0) {
      out.printf(
          "  latency   p50 %s  p90 %s  p99 %s  max %s  (%d answered orders, connect to last"
              + " byte)%n",
          millis(latency.getValueAtPercentile(50)),
          millis(latency.getValueAtPercentile(90)),
          millis(latency.getValueAtPercentile(99)),
          millis(latency.getMaxValue()),
          latency.getTotalCount());
    }
    Map<String, Long> errors = tally.errors();
    if (errors.isEmpty()) {
      out.println("  errors    none");
    } else {
      Map<String, String> examples = tally.firstErrorText();
      errors.forEach(
          (kind, count) ->
              out.printf("  errors    %s x%d (first: %s)%n", kind, count, examples.get(kind)));
    }
    if (!tally.phoneAddresses().isEmpty()) {
      out.println(
          "  from      "
              + String.join(", ", tally.phoneAddresses())
              + " (the connections' own local end)");
    }
    out.println(
        "  keys      Idempotency-Key load-"
            + outcome.runId()
            + "-0 .. -"
            + (outcome.started() - 1));
    out.println(tally.failed() == 0 ? "load OK" : "load FAILED");
    out.flush();
  }

  private static String millis(long micros) {
    return "%.2f ms".formatted(micros / 1000.0);
  }
}
