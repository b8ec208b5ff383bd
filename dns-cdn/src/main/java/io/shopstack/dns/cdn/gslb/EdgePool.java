package io.shopstack.dns.cdn.gslb;

import java.util.List;

/** The edges of one region; the healthy ones are the region's answer. */
public record EdgePool(List<Edge> edges) {
  public EdgePool {
    if (edges.isEmpty()) {
      throw new IllegalArgumentException("a region needs at least one edge");
    }
    edges = List.copyOf(edges);
  }

  List<Edge> healthy(EdgeHealth health) {
    return edges.stream().filter(health::isHealthy).toList();
  }
}
