package io.shopstack.edge.origin;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which origin serves which path: an edge sends {@code /products/} to the data-centre cache and
 * {@code /images/} to the object store. The longest matching prefix wins, so a more specific route
 * can carve a path out of a broader one.
 */
public final class OriginRoutes {
  /** One {@code prefix=host:port} entry. */
  public record Route(String prefix, Origin origin) {}

  private final List<Route> routes;

  private OriginRoutes(List<Route> routes) {
    this.routes =
        routes.stream()
            .sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed())
            .toList();
  }

  /**
   * Parses {@code prefix=host:port,prefix=host:port}.
   *
   * @throws IllegalArgumentException naming the entry that is wrong
   */
  public static OriginRoutes parse(String spec) {
    List<Route> routes = new ArrayList<>();
    for (String entry : spec.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      int colon = trimmed.lastIndexOf(':');
      if (eq < 1 || colon < eq + 2 || !trimmed.startsWith("/")) {
        throw new IllegalArgumentException("route '" + trimmed + "' is not /prefix=host:port");
      }
      String prefix = trimmed.substring(0, eq);
      String host = trimmed.substring(eq + 1, colon);
      int port;
      try {
        port = Integer.parseInt(trimmed.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("route '" + trimmed + "' has a bad port", e);
      }
      InetSocketAddress address = new InetSocketAddress(host, port);
      if (address.isUnresolved()) {
        throw new IllegalArgumentException("route '" + trimmed + "': cannot resolve " + host);
      }
      routes.add(new Route(prefix, new Origin(host + ":" + port, address)));
    }
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("no routes in '" + spec + "'");
    }
    return new OriginRoutes(routes);
  }

  /** The origin for {@code path}, by longest prefix. */
  public Optional<Origin> route(String path) {
    return routes.stream().filter(r -> path.startsWith(r.prefix())).map(Route::origin).findFirst();
  }

  public List<Route> routes() {
    return routes;
  }

  /** The prefixes, for error messages that tell a client what would have worked. */
  public List<String> prefixes() {
    return routes.stream().map(Route::prefix).sorted().toList();
  }
}
