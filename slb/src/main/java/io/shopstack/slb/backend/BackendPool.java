package io.shopstack.slb.backend;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The order-service instances behind the VIP, the policy that spreads connections over them, and
 * the queue of clients waiting while all of them are at their {@code maxconn}. The operator may add
 * and remove backends while it runs (HAProxy's {@code add server} / {@code del server}, or a
 * reload): a removed backend takes nothing new while its open connections finish. A backend of
 * weight 0 stays configured and checked but takes no new connection.
 */
public final class BackendPool {
  /** Told when the set of backends changes: health checks and metrics follow it. */
  public interface Listener {
    void added(Backend backend);

    /** It left the pool; its open connections may still run. */
    void removed(Backend backend);

    /** A removed backend's last connection has closed. */
    default void drained(Backend backend) {}
  }

  // Read on every new connection, written only by an operator: a new list each change.
  private volatile List<Backend> backends;
  // Read on every new connection; replaced by a reload that changes the balance.
  private volatile BalancingPolicy policy;
  private final BackendQueue queue = new BackendQueue();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  public BackendPool(List<InetSocketAddress> addresses, BalancingPolicy policy) {
    this(policy, addresses.stream().map(BackendSpec::new).toList());
  }

  /** A pool of the configured backends, weights as given. */
  public static BackendPool of(List<BackendSpec> specs, BalancingPolicy policy) {
    return new BackendPool(policy, specs);
  }

  private BackendPool(BalancingPolicy policy, List<BackendSpec> specs) {
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("a backend pool needs at least one backend");
    }
    this.backends = specs.stream().map(Backend::new).toList();
    for (int i = 0; i < specs.size(); i++) {
      backends.get(i).state(specs.get(i).initState(BackendState.UP));
    }
    this.policy = policy;
  }

  /** Every backend in the pool, in the order they were configured or added, whatever its state. */
  public List<Backend> backends() {
    return backends;
  }

  /** The backend at {@code host:port} as named in the configuration, or null. */
  public Backend find(String name) {
    for (Backend backend : backends) {
      if (backend.name().equals(name)) {
        return backend;
      }
    }
    return null;
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /**
   * Adds a backend to the running pool, in its spec's initial state, by default DOWN: in rotation
   * only once its checks have passed {@code rise} times. Refused when one with the same address is
   * already in the pool.
   */
  public synchronized Backend add(BackendSpec spec) {
    Backend backend = new Backend(spec);
    if (find(backend.name()) != null) {
      throw new IllegalArgumentException(backend.name() + " is already in the pool");
    }
    backend.state(spec.initState(BackendState.DOWN));
    List<Backend> next = new ArrayList<>(backends);
    next.add(backend);
    backends = List.copyOf(next);
    listeners.forEach(l -> l.added(backend));
    queue.rotationChanged();
    return backend;
  }

  /**
   * Takes {@code backend} out of the pool: no new connection goes to it, the open ones run until
   * they end. The last backend cannot be removed (a pool needs one; drain it instead).
   */
  public synchronized void remove(Backend backend) {
    if (!backends.contains(backend)) {
      throw new IllegalArgumentException(backend.name() + " is not in the pool");
    }
    if (backends.size() == 1) {
      throw new IllegalArgumentException(
          backend.name() + " is the pool's last backend; drain it instead");
    }
    List<Backend> next = new ArrayList<>(backends);
    next.remove(backend);
    backends = List.copyOf(next);
    listeners.forEach(l -> l.removed(backend));
    backend.retire(() -> listeners.forEach(l -> l.drained(backend)));
  }

  /**
   * The backends to try for one new connection, in order; empty when none is in rotation (the
   * client is then closed at once, there is nothing to wait for).
   */
  public List<Backend> candidates(SocketAddress client) {
    // Asked once per new connection: a plain loop, no stream pipeline.
    List<Backend> all = backends;
    List<Backend> up = new ArrayList<>(all.size());
    for (Backend backend : all) {
      if (backend.inRotation()) {
        up.add(backend);
      }
    }
    return up.isEmpty() ? List.of() : policy.order(up, client);
  }

  /**
   * Spreads the connections made from now on with {@code next} (a reload that changes the balance);
   * open connections stay where they are. Queued clients are looked at again: a client pinned by
   * hashing may now take any backend with room.
   */
  public void balance(BalancingPolicy next) {
    policy = next;
    queue.balanceChanged();
  }

  /** Whether its policy keeps each client on one backend (see {@link BalancingPolicy}). */
  public boolean pinsClients() {
    return policy.pinsClients();
  }

  /** The clients waiting for a connection slot. */
  public BackendQueue queue() {
    return queue;
  }

  /**
   * Sets what the operator asks of {@code backend}; one coming back into rotation takes queued
   * clients at once.
   */
  public void adminState(Backend backend, AdminState state) {
    backend.adminState(state);
    queue.rotationChanged();
  }
}
