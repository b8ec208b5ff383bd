package io.shopstack.slb.backend;

import java.net.SocketAddress;
import java.util.List;

/**
 * Decides which backend a new client connection goes to. It returns an order, not a single backend,
 * because the SLB fails over: if connecting to the first fails it tries the second, and so on, each
 * backend at most once. Round robin and least connections spread clients; Maglev keeps each on one
 * backend by its address ({@code client}).
 */
public interface BalancingPolicy {
  /**
   * Orders {@code inRotation} (never empty, all {@link BackendState#UP}) for one new connection.
   */
  List<Backend> order(List<Backend> inRotation, SocketAddress client);

  /**
   * Whether a client belongs to the first backend of its order (hashing): when that one is at its
   * {@code maxconn} the client waits for it rather than going to another with room.
   */
  default boolean pinsClients() {
    return false;
  }
}
