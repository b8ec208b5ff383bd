package io.shopstack.slb.backend;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Client affinity by Maglev consistent hashing (Katran's and Google's L4 balancers): the same
 * client address reaches the same backend for as long as the backends in rotation stay the same,
 * and when one leaves, only its own clients move. The table is rebuilt when the set in rotation
 * changes (a health check or an operator), not per connection. Weights are not applied here: every
 * backend in rotation owns an equal share. The backend owning the client's slot comes first; the
 * rest of the rotation, in order after it, is the failover sequence.
 */
public final class MaglevHashing implements BalancingPolicy {
  private record Built(List<Backend> backends, MaglevTable table) {}

  private volatile Built built;

  @Override
  public List<Backend> order(List<Backend> inRotation, SocketAddress client) {
    Built current = built;
    if (current == null || !current.backends().equals(inRotation)) {
      current =
          new Built(
              List.copyOf(inRotation),
              new MaglevTable(inRotation.stream().map(Backend::name).toList()));
      built = current; // a race only builds the same table twice
    }
    int size = inRotation.size();
    int owner = current.table().lookup(key(client));
    List<Backend> order = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      order.add(inRotation.get((owner + i) % size));
    }
    return order;
  }

  /**
   * Affinity is the point: a client waits for its own backend's slot (see {@link BackendQueue}).
   */
  @Override
  public boolean pinsClients() {
    return true;
  }

  private static byte[] key(SocketAddress client) {
    if (client instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getAddress();
    }
    return String.valueOf(client).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
