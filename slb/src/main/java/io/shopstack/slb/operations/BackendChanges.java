package io.shopstack.slb.operations;

import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.BackendSpec;
import io.shopstack.slb.health.HealthChecker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator may change in a running pool, whichever way they ask (the admin port, the
 * runtime API, a reload): HAProxy's {@code add server}, {@code del server}, {@code set server ...
 * state|weight}. Each answers a line for the operator and logs it; a change that cannot be made
 * throws {@link IllegalArgumentException} with the reason. Connections already spliced are never
 * cut by any of them.
 */
public final class BackendChanges {
  private static final Logger log = LoggerFactory.getLogger(BackendChanges.class);

  private final String frontend;
  private final BackendPool pool;
  private final HealthChecker checks;

  /** The changes of {@code frontend}'s pool; the logs name a backend {@code frontend/host:port}. */
  public BackendChanges(String frontend, BackendPool pool, HealthChecker checks) {
    this.frontend = frontend;
    this.pool = pool;
    this.checks = checks;
  }

  /** The pool these changes act on. */
  public BackendPool pool() {
    return pool;
  }

  /** Adds a backend; unless its spec says otherwise it is DOWN until its checks pass. */
  public String add(BackendSpec spec, String by) {
    Backend backend = pool.add(spec);
    log.info("backend {}/{} added by {} ({})", frontend, backend.name(), by, describe(backend));
    return backend.name() + " added, " + describe(backend) + "\n";
  }

  /**
   * Removes a backend: it takes no new connection from now on; the open ones run until they end,
   * and its metrics leave when the last has.
   */
  public String remove(String name, String by) {
    Backend backend = named(name);
    pool.remove(backend);
    int open = backend.activeConnections();
    log.info("backend {}/{} removed by {}, {} connections open", frontend, name, by, open);
    return name + " removed, " + open + " connections open finish on it\n";
  }

  /** HAProxy's {@code set server ... state ready|drain|maint}. */
  public String state(String name, AdminState state, String by) {
    Backend backend = named(name);
    AdminState before = backend.adminState();
    if (before == AdminState.MAINT && state != AdminState.MAINT) {
      checks.maintenanceEnded(backend); // unchecked while in maint: prove it again first
    }
    pool.adminState(backend, state);
    log.info("backend {}/{} set to {} by {} (was {})", frontend, name, state, by, before);
    return name
        + " "
        + state.label()
        + " (was "
        + before.label()
        + "), "
        + backend.state()
        + ", "
        + backend.activeConnections()
        + " connections open\n";
  }

  /** HAProxy's {@code set server ... weight N}: 0 sends it nothing new. */
  public String weight(String name, int weight, String by) {
    Backend backend = named(name);
    BackendSpec before = backend.spec();
    backend.respec(before.withWeight(weight));
    pool.queue().rotationChanged();
    log.info("backend {}/{} weight {} by {} (was {})", frontend, name, weight, by, before.weight());
    return name + " weight " + weight + " (was " + before.weight() + ")\n";
  }

  /** The header of {@link #show()}'s lines. */
  public static final String SHOW_HEADER =
      "# frontend name state admin weight maxconn connections\n";

  /**
   * One line per backend: frontend, name, checks' state, operator's state, weight, maxconn,
   * connections (HAProxy's {@code show servers state} starts with the backend's name too).
   */
  public String show() {
    StringBuilder out = new StringBuilder();
    for (Backend backend : pool.backends()) {
      out.append(frontend)
          .append(' ')
          .append(backend.name())
          .append(' ')
          .append(backend.state())
          .append(' ')
          .append(backend.adminState().label())
          .append(' ')
          .append(backend.weight())
          .append(' ')
          .append(backend.maxConnections())
          .append(' ')
          .append(backend.activeConnections())
          .append('\n');
    }
    return out.toString();
  }

  private Backend named(String name) {
    Backend backend = pool.find(name);
    if (backend == null) {
      throw new IllegalArgumentException("no backend " + name + " in frontend " + frontend);
    }
    return backend;
  }

  private static String describe(Backend backend) {
    return backend.state()
        + (backend.inRotation() ? ", in rotation" : ", in rotation once its checks pass")
        + ", weight "
        + backend.weight()
        + (backend.maxConnections() > 0 ? ", maxconn " + backend.maxConnections() : "")
        + (backend.maxQueue() > 0 ? ", maxqueue " + backend.maxQueue() : "");
  }
}
