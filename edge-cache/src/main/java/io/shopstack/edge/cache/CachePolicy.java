package io.shopstack.edge.cache;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.shopstack.edge.origin.OriginResponse;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The rules of a shared cache (RFC 9111 sections 3, 4.2 and 4.3.4): whether a response may be
 * stored, how long it stays fresh, how old it already is when it arrives, and how a {@code 304}
 * refreshes what is stored.
 *
 * <p>{@code CDN-Cache-Control} (RFC 9213) replaces {@code Cache-Control} and {@code Expires} when
 * present, so an origin can tell its CDN one thing and browsers another; {@link SurrogateControl}
 * directives for this cache by name replace both.
 */
public final class CachePolicy {
  /** RFC 9213's field for every CDN cache; its directives replace Cache-Control's here. */
  public static final AsciiString CDN_CACHE_CONTROL = AsciiString.cached("cdn-cache-control");

  /**
   * Final statuses whose meaning RFC 9110 defines, so a cache understands them (what {@code
   * must-understand} asks, RFC 9111 5.2.2.3). 206 is left out because only whole responses are
   * stored, 304 because it has no content of its own.
   */
  private static final Set<Integer> UNDERSTOOD =
      Set.of(
          200, 201, 202, 203, 204, 205, 300, 301, 302, 303, 305, 307, 308, 400, 401, 402, 403, 404,
          405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 426, 500, 501,
          502, 503, 504, 505);

  /** RFC 9110 15.1: storable without explicit freshness, by heuristic. */
  private static final Set<Integer> HEURISTICALLY_CACHEABLE =
      Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

  /** RFC 9111 4.2.2 suggests 10 % of the time since modification; capped like Squid does. */
  private static final long HEURISTIC_CAP_MILLIS = 24 * 3600 * 1000L;

  /** Per-client fields a hit must never hand to another client (RFC 9111 7.3). */
  private static final List<AsciiString> PER_CLIENT =
      List.of(HttpHeaderNames.SET_COOKIE, AsciiString.cached("set-cookie2"));

  /** RFC 9111 3.2 / 9110 8.6: a 304 never changes the stored content's length. */
  // ETag and Content-MD5 describe the stored content too: a 304 carrying other values cannot make
  // the stored body match them, so they stay as stored (RFC 9111 3.2 "fields the stored response
  // depends upon").
  private static final Set<String> NOT_UPDATED_BY_304 =
      Set.of(
          "content-length",
          "content-encoding",
          "transfer-encoding",
          "content-range",
          "etag",
          "content-md5");

  private final int maxObjectBytes;
  private final String surrogateName;

  /**
   * @param surrogateName this cache's name in {@code Surrogate-Control} targets and {@code
   *     Surrogate-Capability}
   */
  public CachePolicy(int maxObjectBytes, String surrogateName) {
    this.maxObjectBytes = maxObjectBytes;
    this.surrogateName = surrogateName;
  }

  /** The largest body this cache stores; larger ones are only relayed. */
  public int maxObjectBytes() {
    return maxObjectBytes;
  }

  /** Whether to store, and if not, why (for logs and for whoever reads them). */
  public record Verdict(boolean store, String reason) {
    static Verdict no(String reason) {
      return new Verdict(false, reason);
    }
  }

  /**
   * The directives that govern this cache: Surrogate-Control's for this cache if there are any,
   * else CDN-Cache-Control if the origin sent one, else Cache-Control.
   */
  CacheControl directives(HttpHeaders headers) {
    CacheControl surrogate = SurrogateControl.forCache(headers, surrogateName);
    if (!surrogate.isEmpty()) {
      return surrogate;
    }
    CacheControl cdn = CacheControl.parse(headers.getAll(CDN_CACHE_CONTROL));
    return cdn.isEmpty() ? CacheControl.of(headers) : cdn;
  }

  /** Whether directives aimed at CDNs (and so not Expires) decide freshness here. */
  private boolean targeted(HttpHeaders headers) {
    return headers.contains(CDN_CACHE_CONTROL)
        || !SurrogateControl.forCache(headers, surrogateName).isEmpty();
  }

  /** RFC 9111 3: may this response to this GET be stored by a shared cache? */
  public Verdict verdict(HttpHeaders requestHeaders, OriginResponse response) {
    return verdict(requestHeaders, response, -1);
  }

  /**
   * As {@link #verdict(HttpHeaders, OriginResponse)}, with the operator's lifetime ({@code
   * ttlMillis} &ge; 0, from the rule file) counting as explicit freshness; -1 for none.
   */
  public Verdict verdict(HttpHeaders requestHeaders, OriginResponse response, long ttlMillis) {
    if (clientSaidNoStore(requestHeaders)) {
      return Verdict.no("the request said no-store");
    }
    HttpHeaders headers = response.headers();
    CacheControl cc = directives(headers);
    int status = response.status().code();
    // RFC 9111 3: any final status may be stored (with explicit freshness if it is not
    // heuristically cacheable, below); understanding it is required only for 206 and 304, which
    // are never stored whole, and under must-understand, which then outranks no-store (5.2.2.3).
    if (status < 200 || status == 206 || status == 304 || status > 999) {
      return Verdict.no("status " + status);
    }
    boolean mustUnderstand = cc.has("must-understand");
    if (mustUnderstand && !UNDERSTOOD.contains(status)) {
      return Verdict.no("must-understand and status " + status + " is not understood here");
    }
    if (cc.has("no-store") && !mustUnderstand) {
      return Verdict.no("no-store");
    }
    if (cc.has("private")) {
      return Verdict.no("private");
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
    boolean explicit =
        cc.has("public")
            || cc.has("max-age")
            || cc.has("s-maxage")
            || targeted(headers)
            || headers.contains(HttpHeaderNames.EXPIRES)
            || ttlMillis >= 0;
    if (!explicit && !HEURISTICALLY_CACHEABLE.contains(status)) {
      return Verdict.no("status " + status + " without explicit freshness");
    }
    if (response.body().length > maxObjectBytes) {
      return Verdict.no("larger than " + maxObjectBytes + " bytes");
    }
    CacheEntry entry = entry(requestHeaders, response, ttlMillis);
    if (!entry.worthKeeping(response.responseTimeMillis(), 0)) {
      return Verdict.no("stale on arrival and no validator to revalidate it with");
    }
    return new Verdict(true, "cacheable");
  }

  /**
   * RFC 9111 5.2.1.5: a request's {@code no-store} forbids storing any part of it or of its
   * response. Such a request is the client's own business: it neither uses nor changes what is
   * stored for others.
   */
  public static boolean clientSaidNoStore(HttpHeaders requestHeaders) {
    return requestHeaders.contains(HttpHeaderNames.CACHE_CONTROL)
        && CacheControl.of(requestHeaders).has("no-store");
  }

  /** Builds the entry for a response {@link #verdict} allowed. */
  public CacheEntry entry(HttpHeaders requestHeaders, OriginResponse response) {
    return entry(requestHeaders, response, -1);
  }

  /** As {@link #entry(HttpHeaders, OriginResponse)}, fresh for {@code ttlMillis} if that is set. */
  public CacheEntry entry(HttpHeaders requestHeaders, OriginResponse response, long ttlMillis) {
    return entry(response, varyValues(requestHeaders, response.headers()), ttlMillis);
  }

  /**
   * RFC 9111 4.3.4: a {@code 304} from the origin freshens the stored response. Its header fields
   * replace the stored ones (except those that describe the stored content itself), and the entry
   * ages from the time of the 304.
   */
  public CacheEntry freshen(CacheEntry stored, OriginResponse notModified) {
    return freshen(stored, notModified, -1);
  }

  /**
   * As {@link #freshen(CacheEntry, OriginResponse)}, fresh for {@code ttlMillis} if that is set.
   */
  public CacheEntry freshen(CacheEntry stored, OriginResponse notModified, long ttlMillis) {
    HttpHeaders merged = stored.response().headers().copy();
    // The stored Age described the first fetch; the validated response is as old as the 304 says.
    merged.remove(HttpHeaderNames.AGE);
    for (String name : notModified.headers().names()) {
      if (!NOT_UPDATED_BY_304.contains(name.toLowerCase(Locale.ROOT))) {
        merged.set(name, notModified.headers().getAll(name));
      }
    }
    OriginResponse refreshed =
        new OriginResponse(
            stored.response().status(),
            merged,
            stored.response().body(),
            notModified.requestTimeMillis(),
            notModified.responseTimeMillis());
    return entry(refreshed, stored.varyValues(), ttlMillis);
  }

  private CacheEntry entry(
      OriginResponse response, Map<String, String> varyValues, long ttlMillis) {
    CacheControl cc = directives(response.headers());
    OriginResponse stored = withoutPerClientFields(response, cc);
    // Qualified no-cache ("no-cache=Set-Cookie") only withholds those fields (RFC 9111 5.2.2.4).
    boolean noCache = cc.has("no-cache") && noCacheFields(cc).isEmpty();
    // The operator's ttl replaces the origin's lifetime, never its no-cache (revalidate each use).
    long lifetime =
        noCache ? 0 : ttlMillis >= 0 ? ttlMillis : freshnessLifetimeMillis(response, cc);
    return new CacheEntry(
        stored,
        correctedInitialAgeMillis(response),
        lifetime,
        varyValues,
        cc.seconds("stale-while-revalidate").orElse(0) * 1000,
        cc.seconds("stale-if-error").orElse(0) * 1000,
        noCache || cc.has("must-revalidate") || cc.has("proxy-revalidate") || cc.has("s-maxage"));
  }

  /**
   * The stored copy: {@code Set-Cookie} and the fields a qualified {@code no-cache="..."} names are
   * left out, so the client whose miss fetched it gets them and nobody else ever does.
   */
  private static OriginResponse withoutPerClientFields(OriginResponse response, CacheControl cc) {
    Set<String> qualified = noCacheFields(cc);
    boolean perClient = PER_CLIENT.stream().anyMatch(response.headers()::contains);
    if (!perClient && qualified.isEmpty()) {
      return response;
    }
    HttpHeaders headers = response.headers().copy();
    PER_CLIENT.forEach(headers::remove);
    qualified.forEach(headers::remove);
    return new OriginResponse(
        response.status(),
        headers,
        response.body(),
        response.requestTimeMillis(),
        response.responseTimeMillis());
  }

  private static Set<String> noCacheFields(CacheControl cc) {
    Set<String> fields = new LinkedHashSet<>();
    for (String name : cc.value("no-cache").split(",")) {
      if (!name.isBlank()) {
        fields.add(name.trim().toLowerCase(Locale.ROOT));
      }
    }
    return fields;
  }

  /** Whether a request selects this entry (RFC 9111 4.1): same values for every Vary header. */
  public static boolean matchesVary(CacheEntry entry, HttpHeaders requestHeaders) {
    for (Map.Entry<String, String> vary : entry.varyValues().entrySet()) {
      if (!vary.getValue().equals(normalised(requestHeaders, vary.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 9111 4.2.1, in milliseconds: s-maxage, else max-age, else Expires minus Date, else the
   * Last-Modified heuristic of 4.2.2 for the statuses that allow one; else 0. An invalid max-age or
   * Expires counts as already expired, as 4.2.1 and 5.3 advise.
   */
  long freshnessLifetimeMillis(OriginResponse response, CacheControl cc) {
    HttpHeaders headers = response.headers();
    OptionalLong shared = cc.seconds("s-maxage");
    if (shared.isPresent()) {
      return shared.getAsLong() * 1000;
    }
    if (cc.has("max-age")) {
      return cc.seconds("max-age").orElse(0) * 1000;
    }
    long date = dateMillis(headers, HttpHeaderNames.DATE, response.responseTimeMillis());
    if (!targeted(headers) && headers.contains(HttpHeaderNames.EXPIRES)) {
      long expires = dateMillis(headers, HttpHeaderNames.EXPIRES, Long.MIN_VALUE);
      return expires == Long.MIN_VALUE ? 0 : Math.max(0, expires - date);
    }
    long lastModified = dateMillis(headers, HttpHeaderNames.LAST_MODIFIED, Long.MIN_VALUE);
    // RFC 9111 4.2.2: heuristics for the heuristically cacheable statuses, and for any status the
    // origin marked explicitly cacheable with public (cache-tests' heuristic-599-cached).
    boolean heuristicAllowed =
        HEURISTICALLY_CACHEABLE.contains(response.status().code()) || cc.has("public");
    if (lastModified != Long.MIN_VALUE && heuristicAllowed && date > lastModified) {
      return Math.min((date - lastModified) / 10, HEURISTIC_CAP_MILLIS);
    }
    return 0;
  }

  private static long dateMillis(HttpHeaders headers, CharSequence name, long otherwise) {
    String value = headers.get(name);
    Date parsed = value == null ? null : DateFormatter.parseHttpDate(value);
    return parsed == null ? otherwise : parsed.getTime();
  }

  /** RFC 9111 4.2.3, in milliseconds: the larger of apparent age and corrected Age value. */
  static long correctedInitialAgeMillis(OriginResponse response) {
    long responseTime = response.responseTimeMillis();
    long apparentAge = 0;
    long date = dateMillis(response.headers(), HttpHeaderNames.DATE, Long.MIN_VALUE);
    if (date != Long.MIN_VALUE) {
      apparentAge = Math.max(0, responseTime - date);
    }
    long responseDelay = Math.max(0, responseTime - response.requestTimeMillis());
    long correctedAgeValue = ageForFreshnessSeconds(response.headers()) * 1000 + responseDelay;
    return Math.max(apparentAge, correctedAgeValue);
  }

  /**
   * The {@code Age} header in seconds (RFC 9111 5.1), for relaying: of a list such as {@code 7200,
   * 0} the first member counts; 0 when absent or not a non-negative integer.
   */
  public static long ageHeaderSeconds(HttpHeaders headers) {
    long age = ageForFreshnessSeconds(headers);
    return age == INVALID_AGE ? 0 : age;
  }

  /** What an Age that is not a non-negative integer counts as: too old to be fresh. */
  private static final long INVALID_AGE = CacheControl.DELTA_SECONDS_CAP;

  /**
   * The {@code Age} a freshness decision uses: the first member of a list (RFC 9111 5.1), and an
   * invalid one ({@code abc}, {@code -5}, {@code 7200.0}, {@code 7200;x=1}) as stale. RFC 9111 5.1
   * would ignore it; 4.2.1 encourages treating invalid freshness information as stale, and a shared
   * cache that cannot tell a response's age should ask the origin rather than guess "new".
   */
  static long ageForFreshnessSeconds(HttpHeaders headers) {
    String age = headers.get(HttpHeaderNames.AGE);
    if (age == null) {
      return 0;
    }
    String first = age.split(",", 2)[0].trim();
    if (first.isEmpty() || !first.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return INVALID_AGE;
    }
    return first.length() > 10 ? CacheControl.DELTA_SECONDS_CAP : Long.parseLong(first);
  }

  private static Map<String, String> varyValues(HttpHeaders requestHeaders, HttpHeaders response) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : varyHeaderNames(response)) {
      values.put(name, normalised(requestHeaders, name));
    }
    return values;
  }

  private static Set<String> varyHeaderNames(HttpHeaders headers) {
    Set<String> names = new LinkedHashSet<>();
    for (String line : headers.getAll(HttpHeaderNames.VARY)) {
      for (String name : line.split(",")) {
        if (!name.isBlank()) {
          names.add(name.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  /**
   * A request header's value as Vary compares it (RFC 9111 4.1 allows normalising): lines joined,
   * list members trimmed; for {@code Accept-Encoding} and {@code Accept-Language} also lower-cased
   * and sorted, because {@code gzip, br} and {@code br,gzip} (or {@code en, de} and {@code De, en}:
   * each member carries its own weight, and language tags ignore case) ask for the same thing and
   * must not split the cache.
   */
  static String normalised(HttpHeaders headers, String name) {
    List<String> lines = headers.getAll(name);
    if (lines.isEmpty()) {
      return "";
    }
    List<String> members =
        lines.stream()
            .flatMap(line -> java.util.Arrays.stream(line.split(",")))
            .map(String::trim)
            .filter(m -> !m.isEmpty())
            .toList();
    if (name.equals("accept-encoding") || name.equals("accept-language")) {
      members =
          members.stream()
              .map(m -> m.replace(" ", "").toLowerCase(Locale.ROOT))
              .sorted()
              .distinct()
              .toList();
    }
    return String.join(",", members);
  }
}
