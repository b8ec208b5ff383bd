package io.shopstack.slb.backend;

import java.net.SocketAddress;
import java.util.List;

/**
 * Decides which backend a new client connection goes to. It returns an order, not a single backend,
 * because the SLB fails over: if connecting to the first fails it tries the second, and so on, each
 * backend at most once. Round robin today; a source-hash or Maglev policy that keeps a client on
 * the same instance would use {@code client}.
 */
public interface BalancingPolicy {
  /**
   * Orders {@code inRotation} (never empty, all {@link BackendState#UP}) for one new connection.
   */
  List<Backend> order(List<Backend> inRotation, SocketAddress client);
}
