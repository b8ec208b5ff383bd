package io.shopstack.slb.health;

import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendState;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check results of one backend turned into its state, with HAProxy's hysteresis: {@code fall}
 * failures in a row take an UP backend out of rotation, {@code rise} passes in a row put a DOWN one
 * back. A backend whose port opens before its application is ready therefore waits for its
 * readiness check, and one flapping probe does not move traffic. Only transitions are logged, once
 * each, with the reason; they are also kept (the last few) for the admin endpoint.
 */
public final class BackendHealth {
  private static final Logger log = LoggerFactory.getLogger(BackendHealth.class);
  private static final int HISTORY = 10;

  /** One state change, as shown on the admin endpoint. */
  public record Transition(Instant at, BackendState to, String reason) {}

  private final Backend backend;
  private int rise; // guarded by this, as is fall: a reload may change both
  private int fall;
  private final Deque<Transition> history = new ArrayDeque<>();
  private int passes;
  private volatile int failures;
  private String lastFailure = "";
  // One probe of a backend at a time, whether the schedule or the data path asked for it.
  private final AtomicBoolean probing = new AtomicBoolean();

  /**
   * Starts as HAProxy does: UP, but only just, so the first failed probe takes a backend that was
   * never seen healthy out of rotation at once instead of after {@code fall} probes.
   */
  public BackendHealth(Backend backend, int rise, int fall) {
    this.backend = backend;
    this.rise = rise;
    this.fall = fall;
    this.failures = fall - 1;
  }

  /**
   * A backend added while the SLB runs: DOWN, and no failure counted yet, so {@code rise} passing
   * checks put it in rotation.
   */
  static BackendHealth down(Backend backend, int rise, int fall) {
    BackendHealth health = new BackendHealth(backend, rise, fall);
    health.failures = 0;
    health.history.addLast(
        new Transition(Instant.now(), BackendState.DOWN, "added, " + rise + " checks must pass"));
    return health;
  }

  public Backend backend() {
    return backend;
  }

  /** Claims the backend's probe; false while another probe of it is under way. */
  boolean beginProbe() {
    return probing.compareAndSet(false, true);
  }

  void endProbe() {
    probing.set(false);
  }

  /**
   * The check's new rise and fall (a reload): the passes and failures counted so far stay, and are
   * held against the new thresholds from the next probe on.
   */
  synchronized void retune(int rise, int fall) {
    this.rise = rise;
    this.fall = fall;
  }

  /** The checks were turned off: a DOWN backend goes back in rotation, nothing would raise it. */
  synchronized void checksOff() {
    passes = 0;
    failures = 0;
    if (backend.state() == BackendState.DOWN) {
      change(BackendState.UP, "checks turned off");
    }
  }

  /** Records one probe: {@code failure} is null for a pass, else why it failed. */
  public synchronized void record(String failure) {
    if (failure == null) {
      failures = 0;
      passes++;
      if (backend.state() == BackendState.DOWN && passes >= rise) {
        change(BackendState.UP, passes + " checks passed");
      }
    } else {
      passes = 0;
      failures++;
      lastFailure = failure;
      if (backend.state() == BackendState.UP && failures >= fall) {
        change(BackendState.DOWN, failures + " checks failed, last: " + failure);
      }
    }
  }

  /** Out of rotation until {@code rise} checks pass, whatever the state was. */
  public synchronized void mustRiseAgain(String why) {
    passes = 0;
    failures = 0;
    if (backend.state() == BackendState.UP) {
      change(BackendState.DOWN, why + ", " + rise + " checks must pass");
    }
  }

  private void change(BackendState to, String reason) {
    backend.state(to);
    history.addLast(new Transition(Instant.now(), to, reason));
    if (history.size() > HISTORY) {
      history.removeFirst();
    }
    if (to == BackendState.DOWN) {
      log.warn("backend {} is DOWN: {}", backend.name(), reason);
    } else {
      log.info("backend {} is UP: {}", backend.name(), reason);
    }
  }

  /**
   * A client connection reached the backend: counts as a pass for the failure streak only (one
   * connect is not proof of readiness, so it never raises a DOWN backend). Lock-free when there is
   * no streak, as it runs for every connection.
   */
  public void trafficConnected() {
    if (failures > 0) {
      synchronized (this) {
        if (backend.state() == BackendState.UP) {
          failures = 0;
        }
      }
    }
  }

  /**
   * A client connection could not reach the backend: counts like a failed check, so {@code fall} of
   * them in a row take it out of rotation before the next probe would have.
   */
  public void trafficFailed(String reason) {
    synchronized (this) {
      if (backend.state() == BackendState.UP) {
        record("client connect: " + reason);
      }
    }
  }

  /** The last state changes, oldest first. */
  public synchronized List<Transition> history() {
    return List.copyOf(history);
  }

  public synchronized String lastFailure() {
    return lastFailure;
  }
}
