package io.shopstack.slb.backend;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HAProxy's {@code balance leastconn}: a new connection goes to the backend with the fewest
 * connections spliced to it now, relative to its weight, so a slow instance that holds its
 * connections longer gets fewer new ones. Ties (an idle pool) rotate, or every quiet moment would
 * send the next burst to the first backend. The rest, least loaded first, is the failover order.
 */
public final class LeastConnections implements BalancingPolicy {
  private final AtomicInteger rotation = new AtomicInteger();

  @Override
  public List<Backend> order(List<Backend> inRotation, SocketAddress client) {
    int size = inRotation.size();
    int start = Math.floorMod(rotation.getAndIncrement(), size);
    List<Backend> rotated = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      rotated.add(inRotation.get((start + i) % size));
    }
    // A stable sort keeps the rotation among equally loaded backends.
    rotated.sort(Comparator.comparingDouble(LeastConnections::load));
    return rotated;
  }

  private static double load(Backend backend) {
    return (double) backend.activeConnections() / Math.max(1, backend.weight());
  }
}
