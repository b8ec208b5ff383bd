package io.shopstack.edge.cache;

import io.shopstack.edge.origin.OriginResponse;
import java.util.Map;

/**
 * A stored response and what RFC 9111 4.2 needs to judge it later: how old it already was on
 * arrival, how long it stays fresh, and the request header values it was selected by ({@code
 * Vary}).
 *
 * @param correctedInitialAgeMillis RFC 9111 4.2.3 corrected_initial_age
 * @param freshnessLifetimeMillis from {@code s-maxage} or {@code max-age}
 * @param varyValues the request's values of the headers the response varies on (lower-case names)
 */
public record CacheEntry(
    OriginResponse response,
    long correctedInitialAgeMillis,
    long freshnessLifetimeMillis,
    Map<String, String> varyValues) {

  /** RFC 9111 4.2.3 current_age: the age on arrival plus the time spent here. */
  public long ageMillis(long nowMillis) {
    return correctedInitialAgeMillis + Math.max(0, nowMillis - response.responseTimeMillis());
  }

  /** The value of the {@code Age} header: whole seconds, rounded down. */
  public long ageSeconds(long nowMillis) {
    return ageMillis(nowMillis) / 1000;
  }

  /** RFC 9111 4.2: fresh while the lifetime exceeds the current age. */
  public boolean isFresh(long nowMillis) {
    return freshnessLifetimeMillis > ageMillis(nowMillis);
  }

  /** What the entry costs the cache: the body plus a rough figure for the headers and key. */
  public long sizeBytes() {
    return response.body().length + 64L * (response.headers().size() + 4);
  }
}
