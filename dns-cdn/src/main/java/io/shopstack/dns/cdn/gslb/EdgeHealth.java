package io.shopstack.dns.cdn.gslb;

/** Whether each edge may receive clients: active checks and drains ({@link EdgeHealthChecks}). */
@FunctionalInterface
public interface EdgeHealth {
  /** Every edge up: for servers that do not check (and tests of the policy alone). */
  EdgeHealth ALL_UP = edge -> EdgeStatus.UP;

  EdgeStatus status(Edge edge);
}
