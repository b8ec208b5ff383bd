package io.shopstack.slb.backend;

/**
 * Whether a backend takes new connections. Today only an operator (or a test) changes it; the
 * health checker of a later issue will flip backends between the two, as HAProxy marks servers UP
 * and DOWN. Connections already spliced to a backend are never cut by a state change.
 */
public enum BackendState {
  /** In rotation: new connections may be sent here. */
  UP,
  /** Out of rotation: skipped by every balancing policy. */
  DOWN
}
