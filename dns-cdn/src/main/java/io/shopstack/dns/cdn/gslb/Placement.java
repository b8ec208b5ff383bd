package io.shopstack.dns.cdn.gslb;

import java.util.List;

/**
 * The GSLB's decision for one query: which region's edges, and for how large a client subnet the
 * decision holds (the ECS scope).
 */
public record Placement(String region, List<Edge> edges, int scopePrefix) {}
