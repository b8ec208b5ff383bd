package io.shopstack.edge.cache;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.shopstack.edge.origin.OriginResponse;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The rules of a shared cache (RFC 9111 section 3 and 4.2): whether a response may be stored, how
 * long it stays fresh, and how old it already is when it arrives.
 *
 * <p>Deliberately stricter than the RFC where the skeleton lacks a feature: a response is stored
 * only with an explicit {@code s-maxage} or {@code max-age} (no heuristic freshness, no {@code
 * Expires}), and {@code no-cache} responses are not stored because this cache never revalidates.
 */
public final class CachePolicy {
  /** Statuses a cache understands well enough to store when the origin gives a lifetime. */
  private static final Set<Integer> STORABLE_STATUSES =
      Set.of(200, 203, 204, 300, 301, 308, 404, 410);

  private final int maxObjectBytes;

  public CachePolicy(int maxObjectBytes) {
    this.maxObjectBytes = maxObjectBytes;
  }

  /** Whether to store, and if not, why (for logs and for whoever reads them). */
  public record Verdict(boolean store, String reason) {
    static Verdict no(String reason) {
      return new Verdict(false, reason);
    }
  }

  /** RFC 9111 3: may this response to this GET be stored by a shared cache? */
  public Verdict verdict(HttpHeaders requestHeaders, OriginResponse response) {
    HttpHeaders headers = response.headers();
    CacheControl cc = CacheControl.of(headers);
    if (!STORABLE_STATUSES.contains(response.status().code())) {
      return Verdict.no("status " + response.status().code());
    }
    if (cc.has("no-store")) {
      return Verdict.no("no-store");
    }
    if (cc.has("private")) {
      return Verdict.no("private");
    }
    if (cc.has("no-cache")) {
      return Verdict.no("no-cache (this cache does not revalidate)");
    }
    if (headers.contains(HttpHeaderNames.SET_COOKIE)) {
      return Verdict.no("Set-Cookie");
    }
    if (varyHeaderNames(headers).contains("*")) {
      return Verdict.no("Vary: *");
    }
    // RFC 9111 3.5: a shared cache keeps one user's authorized answer from another user.
    if (requestHeaders.contains(HttpHeaderNames.AUTHORIZATION)
        && !cc.has("public")
        && !cc.has("s-maxage")
        && !cc.has("must-revalidate")) {
      return Verdict.no("request carried Authorization");
    }
    if (freshnessLifetimeSeconds(cc) <= 0) {
      return Verdict.no("no positive s-maxage or max-age");
    }
    if (response.body().length > maxObjectBytes) {
      return Verdict.no("larger than " + maxObjectBytes + " bytes");
    }
    return new Verdict(true, "cacheable");
  }

  /** Builds the entry for a response {@link #verdict} allowed. */
  public CacheEntry entry(HttpHeaders requestHeaders, OriginResponse response) {
    long lifetime = freshnessLifetimeSeconds(CacheControl.of(response.headers())) * 1000;
    return new CacheEntry(
        response,
        correctedInitialAgeMillis(response),
        lifetime,
        varyValues(requestHeaders, response));
  }

  /** Whether a request selects this entry (RFC 9111 4.1): same values for every Vary header. */
  public static boolean matchesVary(CacheEntry entry, HttpHeaders requestHeaders) {
    for (Map.Entry<String, String> vary : entry.varyValues().entrySet()) {
      if (!vary.getValue().equals(joined(requestHeaders, vary.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** RFC 9111 4.2.1: s-maxage wins for a shared cache; -1 when neither is given. */
  static long freshnessLifetimeSeconds(CacheControl cc) {
    OptionalLong shared = cc.seconds("s-maxage");
    if (shared.isPresent()) {
      return shared.getAsLong();
    }
    return cc.seconds("max-age").orElse(-1);
  }

  /** RFC 9111 4.2.3, in milliseconds: the larger of apparent age and corrected Age value. */
  static long correctedInitialAgeMillis(OriginResponse response) {
    long responseTime = response.responseTimeMillis();
    long apparentAge = 0;
    String date = response.headers().get(HttpHeaderNames.DATE);
    Date dateValue = date == null ? null : DateFormatter.parseHttpDate(date);
    if (dateValue != null) {
      apparentAge = Math.max(0, responseTime - dateValue.getTime());
    }
    long responseDelay = Math.max(0, responseTime - response.requestTimeMillis());
    long correctedAgeValue = ageHeaderSeconds(response.headers()) * 1000 + responseDelay;
    return Math.max(apparentAge, correctedAgeValue);
  }

  /** The {@code Age} header in seconds; 0 when absent or invalid (RFC 9111 5.1). */
  public static long ageHeaderSeconds(HttpHeaders headers) {
    String age = headers.get(HttpHeaderNames.AGE);
    if (age == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(age.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Map<String, String> varyValues(
      HttpHeaders requestHeaders, OriginResponse response) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : varyHeaderNames(response.headers())) {
      values.put(name, joined(requestHeaders, name));
    }
    return values;
  }

  private static Set<String> varyHeaderNames(HttpHeaders headers) {
    Set<String> names = new java.util.LinkedHashSet<>();
    for (String line : headers.getAll(HttpHeaderNames.VARY)) {
      for (String name : line.split(",")) {
        if (!name.isBlank()) {
          names.add(name.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  private static String joined(HttpHeaders headers, String name) {
    return String.join(",", headers.getAll(name));
  }
}
