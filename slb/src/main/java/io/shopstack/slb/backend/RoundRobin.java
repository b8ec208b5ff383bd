package io.shopstack.slb.backend;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's {@code balance roundrobin}: each backend gets new connections in proportion to its
 * weight, interleaved rather than in bursts (nginx's smooth weighted round robin: every pick adds
 * each backend's weight to its credit, takes the backend with the most credit and charges it the
 * total). With equal weights that is plain rotation. The backend picked comes first; the rest of
 * the list, in order after it, is the failover sequence.
 *
 * <p>The credits are shared by every event loop, so connections alternate even when accepted on
 * different threads; the lock is held for a few additions per connection.
 */
public final class RoundRobin implements BalancingPolicy {
  private final Map<Backend, Long> credit = new IdentityHashMap<>();

  @Override
  public List<Backend> order(List<Backend> inRotation, SocketAddress client) {
    int size = inRotation.size();
    int picked = pick(inRotation);
    List<Backend> order = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      order.add(inRotation.get((picked + i) % size));
    }
    return order;
  }

  private synchronized int pick(List<Backend> inRotation) {
    if (credit.size() > 2 * inRotation.size()) {
      // Backends removed from the pool (or long out of rotation): forget their credit.
      credit.keySet().retainAll(new HashSet<>(inRotation));
    }
    long total = 0;
    int best = 0;
    long bestCredit = Long.MIN_VALUE;
    for (int i = 0; i < inRotation.size(); i++) {
      Backend backend = inRotation.get(i);
      long now = credit.getOrDefault(backend, 0L) + backend.weight();
      credit.put(backend, now);
      total += backend.weight();
      if (now > bestCredit) {
        bestCredit = now;
        best = i;
      }
    }
    credit.merge(inRotation.get(best), -total, Long::sum);
    return best;
  }
}
