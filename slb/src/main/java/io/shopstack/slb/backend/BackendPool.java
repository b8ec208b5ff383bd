package io.shopstack.slb.backend;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The order-service instances behind the VIP, the policy that spreads connections over them, and
 * the queue of clients waiting while all of them are at their {@code maxconn}. The list is fixed at
 * start; only each backend's state changes (health checks, operators). A backend of weight 0 stays
 * configured and checked but takes no new connection.
 */
public final class BackendPool {
  private final List<Backend> backends;
  private final BalancingPolicy policy;
  private final BackendQueue queue = new BackendQueue();

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
    this.policy = policy;
  }

  /** Every backend, in configuration order, whatever its state. */
  public List<Backend> backends() {
    return backends;
  }

  /**
   * The backends to try for one new connection, in order; empty when none is in rotation (the
   * client is then closed at once, there is nothing to wait for).
   */
  public List<Backend> candidates(SocketAddress client) {
    // Asked once per new connection: a plain loop, no stream pipeline.
    List<Backend> up = new ArrayList<>(backends.size());
    for (Backend backend : backends) {
      if (backend.inRotation()) {
        up.add(backend);
      }
    }
    return up.isEmpty() ? List.of() : policy.order(up, client);
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
