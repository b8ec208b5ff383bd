package io.shopstack.client.load;

import java.io.PrintStream;

/** One line per tenth of the orders done: for logs, pipes and tests. */
final class ProgressLines implements LoadProgress {
  private final PrintStream out;
  private final int orders;
  private final long start = System.nanoTime();
  private int tenthsShown;

  ProgressLines(PrintStream out, int orders) {
    this.out = out;
    this.orders = orders;
  }

  @Override
  public synchronized void update(LoadTally tally) {
    int tenths = (int) (tally.done() * 10 / orders);
    if (tenths > tenthsShown) {
      tenthsShown = tenths;
      out.println(ProgressBar.counts(tally, orders, System.nanoTime() - start));
      out.flush();
    }
  }

  @Override
  public void finish(LoadTally tally) {
    // The last tenth was printed by update; a run cut short by its cap says so in the summary.
  }
}
