package io.shopstack.slb.backend;

import java.net.SocketAddress;
import java.util.ArrayList;
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
 * different threads; the lock is held for a few additions per connection. They sit in an array
 * beside the backends in rotation at the last pick, as HAProxy keeps its position in each server's
 * own struct: a pick compares the rotation with that one (the same, unless a backend came or went)
 * and adds up, with no map look-up and no boxed number per connection (a map of credits was the
 * largest single cost of a new connection's user time in the SLB's profile).
 */
public final class RoundRobin implements BalancingPolicy {
  private Backend[] backends = new Backend[0];
  private long[] credits = new long[0];

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
    if (!sameRotation(inRotation)) {
      follow(inRotation);
    }
    long[] credit = credits;
    long total = 0;
    int best = 0;
    long bestCredit = Long.MIN_VALUE;
    for (int i = 0; i < credit.length; i++) {
      int weight = backends[i].weight();
      long now = credit[i] + weight;
      credit[i] = now;
      total += weight;
      if (now > bestCredit) {
        bestCredit = now;
        best = i;
      }
    }
    credit[best] -= total;
    return best;
  }

  private boolean sameRotation(List<Backend> inRotation) {
    if (inRotation.size() != backends.length) {
      return false;
    }
    for (int i = 0; i < backends.length; i++) {
      if (inRotation.get(i) != backends[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Takes {@code inRotation} as the backends to credit: those that stay keep their credit, those
   * that come (back) start from nothing, those that left are forgotten.
   */
  private void follow(List<Backend> inRotation) {
    Map<Backend, Long> kept = new IdentityHashMap<>();
    for (int i = 0; i < backends.length; i++) {
      kept.put(backends[i], credits[i]);
    }
    Backend[] next = inRotation.toArray(new Backend[0]);
    long[] nextCredits = new long[next.length];
    for (int i = 0; i < next.length; i++) {
      nextCredits[i] = kept.getOrDefault(next[i], 0L);
    }
    backends = next;
    credits = nextCredits;
  }
}
