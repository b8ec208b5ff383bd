package io.shopstack.dns.cdn.gslb;

import java.net.InetAddress;
import java.net.URI;

/**
 * One CDN edge node (a cache instance) a client may be sent to.
 *
 * @param weight its share of its region's clients relative to the region's other edges
 * @param health the edge's admin {@code /health}, probed by {@link EdgeHealthChecks}
 */
public record Edge(String name, String region, InetAddress address, int weight, URI health) {
  public Edge {
    if (weight < 1) {
      throw new IllegalArgumentException("edge " + name + ": weight must be at least 1: " + weight);
    }
  }

  @Override
  public String toString() {
    return name + "(" + address.getHostAddress() + ")";
  }
}
