package io.shopstack.slb.backend;

/**
 * Whether a backend takes new connections, as the health checks last judged it (HAProxy's UP and
 * DOWN; a backend starts UP, as HAProxy's servers do). The operator's drain and maintenance are
 * {@link AdminState}, kept apart so a check cannot undo them. Connections already spliced to a
 * backend are never cut by a state change.
 */
public enum BackendState {
  /** In rotation: new connections may be sent here. */
  UP,
  /** Out of rotation: skipped by every balancing policy. */
  DOWN
}
