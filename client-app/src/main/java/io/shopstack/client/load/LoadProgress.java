package io.shopstack.client.load;

import java.io.PrintStream;

/**
 * How a load run shows it is getting on: a bar redrawn in place on a terminal, plain lines (one per
 * tenth of the run) everywhere else, so logs and tests get a few readable lines rather than
 * carriage returns.
 */
public interface LoadProgress {
  /** Called after every finished order, from the worker that finished it. */
  void update(LoadTally tally);

  /** Called once when the run is over. */
  void finish(LoadTally tally);

  static LoadProgress of(PrintStream out, int orders, boolean terminal) {
    return terminal ? new ProgressBar(out, orders) : new ProgressLines(out, orders);
  }
}
