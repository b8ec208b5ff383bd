package io.shopstack.client.load;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/** A bar redrawn in place ({@code \r}) on a terminal, at most ten times a second. */
final class ProgressBar implements LoadProgress {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final PrintStream out;
  private final int orders;
  private final long start = System.nanoTime();
  private long lastDrawn;

  ProgressBar(PrintStream out, int orders) {
    this.out = out;
    this.orders = orders;
  }

  @Override
  public synchronized void update(LoadTally tally) {
    long now = System.nanoTime();
    if (now - lastDrawn >= REDRAW_NANOS || tally.done() == orders) {
      lastDrawn = now;
      draw(tally, now);
    }
  }

  @Override
  public synchronized void finish(LoadTally tally) {
    draw(tally, System.nanoTime());
    out.println();
    out.flush();
  }

  private void draw(LoadTally tally, long now) {
    int filled = (int) (tally.done() * WIDTH / orders);
    out.print(
        "\r  ["
            + "#".repeat(filled)
            + " ".repeat(WIDTH - filled)
            + "] "
            + counts(tally, orders, now - start));
    out.flush();
  }

  /** {@code 420/1000 orders, 3 failed, 210.0 orders/s}: the same words for bar and lines. */
  static String counts(LoadTally tally, int orders, long elapsedNanos) {
    double seconds = Math.max(elapsedNanos, 1) / 1e9;
    return "%d/%d orders, %d failed, %.1f orders/s"
        .formatted(tally.done(), orders, tally.failed(), tally.done() / seconds);
  }
}
