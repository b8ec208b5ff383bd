package io.shopstack.slb.backend;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each new connection starts one backend further along the list; the rest of the list, in order, is
 * its failover sequence. Like HAProxy's {@code balance roundrobin} without weights. The counter is
 * shared by every event loop, so connections alternate even when accepted on different threads.
 */
public final class RoundRobin implements BalancingPolicy {
  private final AtomicInteger next = new AtomicInteger();

  @Override
  public List<Backend> order(List<Backend> inRotation, SocketAddress client) {
    int size = inRotation.size();
    int start = Math.floorMod(next.getAndIncrement(), size);
    List<Backend> order = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      order.add(inRotation.get((start + i) % size));
    }
    return order;
  }
}
