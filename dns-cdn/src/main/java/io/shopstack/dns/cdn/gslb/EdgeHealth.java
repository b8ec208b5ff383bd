package io.shopstack.dns.cdn.gslb;

/** Whether each edge may receive clients: active checks and drains ({@link EdgeHealthChecks}). */
@FunctionalInterface
public interface EdgeHealth {
  /** Every edge up: for servers that do not check (and tests of the policy alone). */
  EdgeHealth ALL_UP = edge -> EdgeStatus.UP;

  EdgeStatus status(Edge edge);

  /**
   * A number that changes whenever any edge's status may have changed (a check flipped it, a drain
   * or undrain, a new set of edges): what was decided from the statuses under one epoch holds until
   * the epoch moves. Constant for health that never changes.
   */
  default long epoch() {
    return 0;
  }

  /** The edge's share of its region's clients now: its configured weight, unless load-aware. */
  default int weight(Edge edge) {
    return edge.weight();
  }
}
