package io.shopstack.edge.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.shopstack.edge.origin.OriginResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stored response and what RFC 9111 4.2 needs to judge it later: how old it already was on
 * arrival, how long it stays fresh, how long it may still be served stale, and the request header
 * values it was selected by ({@code Vary}).
 *
 * @param correctedInitialAgeMillis RFC 9111 4.2.3 corrected_initial_age
 * @param freshnessLifetimeMillis RFC 9111 4.2.1; 0 for a response that must be validated on each
 *     use ({@code no-cache})
 * @param varyValues the request's normalised values of the headers the response varies on
 *     (lower-case names)
 * @param staleWhileRevalidateMillis RFC 5861: how long past its lifetime the entry may be served
 *     while one background request refreshes it
 * @param staleIfErrorMillis RFC 5861: how long past its lifetime the entry may stand in for an
 *     origin that fails
 * @param mustRevalidate never serve it stale ({@code must-revalidate}, {@code proxy-revalidate},
 *     {@code s-maxage}, {@code no-cache}: RFC 9111 4.2.4)
 * @param hits how often it answered a request (Varnish's {@code obj.hits}, sent as {@code
 *     X-Cache-Hits})
 * @param hitHead the response headers its plain hits share, made on the first one
 */
public record CacheEntry(
    OriginResponse response,
    long correctedInitialAgeMillis,
    long freshnessLifetimeMillis,
    Map<String, String> varyValues,
    long staleWhileRevalidateMillis,
    long staleIfErrorMillis,
    boolean mustRevalidate,
    AtomicLong hits,
    HitHead hitHead) {

  /**
   * What every plain hit on the entry sends but the per-request fields, built once: copying it is
   * cheaper than deriving it from the stored headers on each hit. Built lazily by the proxy (it
   * knows the instance's name); two loops racing build equal copies.
   */
  public static final class HitHead {
    private volatile HttpHeaders headers;

    public HttpHeaders get() {
      return headers;
    }

    /** Publishes headers that are never changed afterwards. */
    public void set(HttpHeaders prepared) {
      headers = prepared;
    }
  }

  /** A new entry, not yet used. */
  public CacheEntry(
      OriginResponse response,
      long correctedInitialAgeMillis,
      long freshnessLifetimeMillis,
      Map<String, String> varyValues,
      long staleWhileRevalidateMillis,
      long staleIfErrorMillis,
      boolean mustRevalidate) {
    this(
        response,
        correctedInitialAgeMillis,
        freshnessLifetimeMillis,
        varyValues,
        staleWhileRevalidateMillis,
        staleIfErrorMillis,
        mustRevalidate,
        new AtomicLong(),
        new HitHead());
  }

  /** A plain entry: fresh for a while, never served stale. */
  public CacheEntry(
      OriginResponse response,
      long correctedInitialAgeMillis,
      long freshnessLifetimeMillis,
      Map<String, String> varyValues) {
    this(response, correctedInitialAgeMillis, freshnessLifetimeMillis, varyValues, 0, 0, false);
  }

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

  /** How long past its lifetime the entry is (0 or less while fresh). */
  public long stalenessMillis(long nowMillis) {
    return ageMillis(nowMillis) - freshnessLifetimeMillis;
  }

  /** May it answer now while a background fetch refreshes it (stale-while-revalidate)? */
  public boolean servableWhileRevalidating(long nowMillis) {
    return !mustRevalidate && stalenessMillis(nowMillis) < staleWhileRevalidateMillis;
  }

  /**
   * May it answer in place of a failed origin? {@code graceMillis} is the operator's floor
   * (Varnish's grace), used when the origin said nothing.
   */
  public boolean servableOnError(long nowMillis, long graceMillis) {
    return !mustRevalidate
        && stalenessMillis(nowMillis) < Math.max(staleIfErrorMillis, graceMillis);
  }

  public String etag() {
    return response.headers().get(HttpHeaderNames.ETAG);
  }

  public String lastModified() {
    return response.headers().get(HttpHeaderNames.LAST_MODIFIED);
  }

  /** Whether a conditional request can revalidate it (RFC 9111 4.3.1). */
  public boolean hasValidator() {
    return etag() != null || lastModified() != null;
  }

  /**
   * Whether it can still be of any use: fresh, revalidatable, or within a stale window. Anything
   * else is dead weight in the store.
   */
  public boolean worthKeeping(long nowMillis, long graceMillis) {
    return isFresh(nowMillis)
        || hasValidator()
        || servableWhileRevalidating(nowMillis)
        || servableOnError(nowMillis, graceMillis);
  }

  /** What the entry costs the cache: the body plus a rough figure for the headers and key. */
  public long sizeBytes() {
    return response.body().length + 64L * (response.headers().size() + 4);
  }
}
