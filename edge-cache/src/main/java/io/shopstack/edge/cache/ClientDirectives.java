package io.shopstack.edge.cache;

import java.util.OptionalLong;

/**
 * What the client's own {@code Cache-Control} (RFC 9111 5.2.1) allows a stored response to be used
 * for: {@code no-cache} and {@code max-age} ask for a newer one, {@code min-fresh} for one that
 * stays fresh a while longer, {@code max-stale} accepts one past its lifetime. Never past a {@code
 * must-revalidate}: the origin's word wins over the client's patience.
 */
public final class ClientDirectives {
  /** How the stored entry may be used for this request. */
  public enum Use {
    /** Fresh enough for the client: a hit. */
    FRESH,
    /** Stale, but the client said it takes it ({@code max-stale}). */
    STALE_ACCEPTED,
    /** Must be validated with the origin (or served stale under a grace rule) first. */
    REVALIDATE
  }

  private ClientDirectives() {}

  public static Use judge(CacheControl asked, CacheEntry entry, long nowMillis) {
    if (asked.isEmpty()) {
      return entry.isFresh(nowMillis) ? Use.FRESH : Use.REVALIDATE;
    }
    if (insistsOnValidation(asked)) {
      return Use.REVALIDATE;
    }
    long age = entry.ageMillis(nowMillis);
    OptionalLong maxAge = asked.seconds("max-age");
    if (maxAge.isPresent() && age > maxAge.getAsLong() * 1000) {
      return Use.REVALIDATE;
    }
    if (entry.isFresh(nowMillis)) {
      long minFresh = asked.seconds("min-fresh").orElse(0) * 1000;
      return entry.freshnessLifetimeMillis() - age >= minFresh ? Use.FRESH : Use.REVALIDATE;
    }
    if (asked.has("max-stale") && !entry.mustRevalidate()) {
      OptionalLong maxStale = asked.seconds("max-stale");
      if (maxStale.isEmpty() || entry.stalenessMillis(nowMillis) <= maxStale.getAsLong() * 1000) {
        return Use.STALE_ACCEPTED;
      }
    }
    return Use.REVALIDATE;
  }

  /** {@code no-cache} (or {@code max-age=0}): the client wants the origin's confirmation. */
  public static boolean insistsOnValidation(CacheControl asked) {
    return asked.has("no-cache") || asked.seconds("max-age").orElse(-1) == 0;
  }
}
