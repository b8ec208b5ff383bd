package io.shopstack.edge.origin;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which origin serves which path, and with which methods: an edge sends {@code /products/} to the
 * data-centre cache and {@code /images/} to the object store, for GET and HEAD only, so the CDN is
 * never a way to write to an origin. The longest matching prefix wins, so a more specific route can
 * carve a path out of a broader one.
 *
 * <p>An entry is {@code prefix=[name@]host:port[;allow=GET|HEAD|POST]}. The name is what error
 * bodies and metrics show (internal addresses stay out of public answers); it defaults to {@code
 * host:port}.
 */
public final class OriginRoutes {
  /** What a route allows unless it says otherwise: reading. */
  public static final Set<String> READ_ONLY = Set.of("GET", "HEAD");

  /** One entry: prefix, origin, and the methods it passes (upper case). */
  public record Route(String prefix, Origin origin, Set<String> allowed) {
    public Route {
      allowed = Set.copyOf(allowed);
    }

    public Route(String prefix, Origin origin) {
      this(prefix, origin, READ_ONLY);
    }

    /** The value of {@code Allow} for a 405 (RFC 9110 10.2.1), in a stable order. */
    public String allowHeader() {
      return String.join(", ", new TreeSet<>(allowed));
    }
  }

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
      if (!trimmed.isEmpty()) {
        routes.add(parseEntry(trimmed));
      }
    }
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("no routes in '" + spec + "'");
    }
    return new OriginRoutes(routes);
  }

  private static Route parseEntry(String entry) {
    String target = entry;
    Set<String> allowed = READ_ONLY;
    int options = entry.indexOf(';');
    if (options >= 0) {
      target = entry.substring(0, options).trim();
      String option = entry.substring(options + 1).trim();
      if (!option.startsWith("allow=") || option.length() == "allow=".length()) {
        throw new IllegalArgumentException(
            "route '" + entry + "': the only option is allow=METHOD|METHOD");
      }
      allowed = new TreeSet<>();
      for (String method : option.substring("allow=".length()).split("\\|")) {
        allowed.add(method.trim().toUpperCase(Locale.ROOT));
      }
    }
    int eq = target.indexOf('=');
    int colon = target.lastIndexOf(':');
    if (eq < 1 || colon < eq + 2 || !target.startsWith("/")) {
      throw new IllegalArgumentException(
          "route '" + entry + "' is not /prefix=[name@]host:port[;allow=GET|HEAD]");
    }
    String prefix = target.substring(0, eq);
    String hostPart = target.substring(eq + 1, colon);
    int at = hostPart.indexOf('@');
    String host = at < 0 ? hostPart : hostPart.substring(at + 1);
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("route '" + entry + "' has a bad port", e);
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("route '" + entry + "': cannot resolve " + host);
    }
    String name = at < 1 ? host + ":" + port : hostPart.substring(0, at);
    return new Route(prefix, new Origin(name, address), allowed);
  }

  /** The route for {@code path}, by longest prefix. */
  public Optional<Route> route(String path) {
    for (Route route : routes) { // a plain loop: this runs for every request, hits included
      if (path.startsWith(route.prefix())) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }

  public List<Route> routes() {
    return routes;
  }

  /** The prefixes, for error messages that tell a client what would have worked. */
  public List<String> prefixes() {
    return routes.stream().map(Route::prefix).sorted().toList();
  }
}
