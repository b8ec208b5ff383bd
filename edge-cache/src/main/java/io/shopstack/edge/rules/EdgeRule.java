package io.shopstack.edge.rules;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One entry of the rule file: what an operator would otherwise write in VCL for a group of URLs.
 * Matched by path prefix (and host, if given); the first rule in the file that matches decides, as
 * the first matching {@code if} does in VCL.
 *
 * @param prefix path prefix the rule applies to ({@code /} for everything)
 * @param host exact request host (case-insensitive, without port); null for any host
 * @param ttl seconds a stored response stays fresh, in place of what the origin said ({@code
 *     beresp.ttl}); null keeps the origin's. It never makes {@code no-store}, {@code private},
 *     {@code no-cache} or an {@code Authorization} answer storable: those stay the origin's call.
 * @param pass never look up nor store: every request goes to the origin ({@code return (pass)})
 * @param stripCookie drop the request's {@code Cookie} before lookup and fetch ({@code unset
 *     req.http.Cookie}), so pages that ignore cookies are shared by everyone
 * @param stripSetCookie drop the origin's {@code Set-Cookie} ({@code unset beresp.http.Set-Cookie})
 * @param methods the methods passed for these URLs, replacing the route's {@code allow=}; others
 *     get {@code 405} with {@code Allow}. Null keeps the route's.
 */
public record EdgeRule(
    String prefix,
    String host,
    Integer ttl,
    Boolean pass,
    Boolean stripCookie,
    Boolean stripSetCookie,
    Set<String> methods) {

  /** What applies where no rule matches: the origin's headers and the route's methods. */
  public static final EdgeRule NONE = new EdgeRule("/", null, null, false, false, false, null);

  public EdgeRule {
    // Absent in the file means false; the wrappers are only there so that absence is allowed.
    pass = Boolean.TRUE.equals(pass);
    stripCookie = Boolean.TRUE.equals(stripCookie);
    stripSetCookie = Boolean.TRUE.equals(stripSetCookie);
    if (prefix == null || !prefix.startsWith("/")) {
      throw new IllegalArgumentException("rule prefix must start with /, got " + prefix);
    }
    host = host == null || host.isBlank() ? null : host.trim().toLowerCase(Locale.ROOT);
    if (ttl != null && ttl < 0) {
      throw new IllegalArgumentException("rule " + prefix + ": ttl must not be negative");
    }
    if (pass && ttl != null) {
      throw new IllegalArgumentException("rule " + prefix + ": a pass rule stores nothing, no ttl");
    }
    if (methods != null) {
      if (methods.isEmpty()) {
        throw new IllegalArgumentException("rule " + prefix + ": methods must list at least one");
      }
      TreeSet<String> upper = new TreeSet<>();
      methods.forEach(m -> upper.add(m.trim().toUpperCase(Locale.ROOT)));
      methods = java.util.Collections.unmodifiableSet(upper);
    }
  }

  /** Whether the rule applies to a request for {@code path} on {@code host}. */
  boolean matches(String requestHost, String path) {
    return path.startsWith(prefix) && (host == null || host.equals(hostOnly(requestHost)));
  }

  /** The lifetime override in milliseconds, or -1 for none. */
  public long ttlMillis() {
    return ttl == null ? -1 : ttl * 1000L;
  }

  /** The methods allowed here: the rule's, else {@code routeAllowed}. */
  public Set<String> allowed(Set<String> routeAllowed) {
    return methods != null ? methods : routeAllowed;
  }

  /** The value of {@code Allow} for a 405 (RFC 9110 10.2.1), in a stable order. */
  public static String allowHeader(Set<String> allowed) {
    return String.join(", ", new TreeSet<>(allowed));
  }

  private static String hostOnly(String hostHeader) {
    if (hostHeader == null) {
      return "";
    }
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    return colon > h.lastIndexOf(']') ? h.substring(0, colon) : h;
  }

  /** For log lines and errors. */
  @Override
  public String toString() {
    return (host == null ? "" : host) + prefix;
  }
}
