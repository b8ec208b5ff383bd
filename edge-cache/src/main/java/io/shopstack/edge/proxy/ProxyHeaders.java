package io.shopstack.edge.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.shopstack.edge.cache.SurrogateControl;
import java.util.List;

/**
 * What every hop adds and removes (RFC 9110 7.6): hop-by-hop fields go, {@code Via} and {@code
 * X-Forwarded-For} grow by one entry, the request ID travels end to end, and the cache says what it
 * did in {@code X-Cache}, {@code X-Served-By} and {@code Age}.
 */
final class ProxyHeaders {
  static final AsciiString X_CACHE = AsciiString.cached("x-cache");
  static final AsciiString X_CACHE_ORIGIN = AsciiString.cached("x-cache-origin");
  static final AsciiString X_CACHE_HITS = AsciiString.cached("x-cache-hits");
  static final AsciiString X_SERVED_BY = AsciiString.cached("x-served-by");
  static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  private static final String PRODUCT = "shop-stack-edge";

  /** RFC 9110 7.6.1: meaningful for one connection only, never forwarded. */
  private static final List<AsciiString> HOP_BY_HOP =
      List.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_CONNECTION,
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.TRANSFER_ENCODING,
          HttpHeaderNames.UPGRADE);

  /** A cache fill wants the whole representation, whatever this one client asked to narrow. */
  private static final List<AsciiString> CONDITIONAL_AND_RANGE =
      List.of(
          HttpHeaderNames.IF_NONE_MATCH,
          HttpHeaderNames.IF_MODIFIED_SINCE,
          HttpHeaderNames.IF_MATCH,
          HttpHeaderNames.IF_UNMODIFIED_SINCE,
          HttpHeaderNames.IF_RANGE,
          HttpHeaderNames.RANGE);

  private ProxyHeaders() {}

  static String via(String instance) {
    return "1.1 " + instance + " (" + PRODUCT + ")";
  }

  /** True when this instance already forwarded the request: a routing loop. */
  static boolean looped(HttpHeaders headers, String instance) {
    if (!headers.contains(HttpHeaderNames.VIA)) {
      return false; // the common case (a client, not a cache), without building the list
    }
    String mine = via(instance);
    return headers.getAll(HttpHeaderNames.VIA).stream()
        .flatMap(line -> List.of(line.split(",")).stream())
        .anyMatch(hop -> hop.trim().equals(mine));
  }

  static void stripHopByHop(HttpHeaders headers) {
    for (String line : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String name : line.split(",")) {
        if (!name.isBlank()) {
          headers.remove(name.trim());
        }
      }
    }
    HOP_BY_HOP.forEach(headers::remove);
  }

  /**
   * The request this cache sends to the origin: the client's request with hop-by-hop fields
   * replaced, one more {@code Via} and {@code X-Forwarded-For} entry, and the request ID. A cache
   * fill ({@code fill == true}) is a body-less GET without conditionals or ranges. The returned
   * request holds its own reference to the body.
   */
  static FullHttpRequest toOrigin(
      FullHttpRequest client,
      String target,
      boolean fill,
      String clientIp,
      String instance,
      String requestId) {
    HttpHeaders headers = client.headers().copy();
    stripHopByHop(headers);
    headers.remove(HttpHeaderNames.EXPECT); // the body is already here; nothing to wait for
    headers.remove(HttpHeaderNames.CONTENT_LENGTH);
    append(headers, HttpHeaderNames.VIA, via(instance));
    append(headers, X_FORWARDED_FOR, clientIp);
    headers.set(X_REQUEST_ID, requestId);
    // So the origin can aim Surrogate-Control directives at this cache by name.
    append(headers, SurrogateControl.SURROGATE_CAPABILITY, SurrogateControl.capability(instance));
    if (fill) {
      CONDITIONAL_AND_RANGE.forEach(headers::remove);
      return new DefaultFullHttpRequest(
          HttpVersion.HTTP_1_1,
          HttpMethod.GET,
          target,
          Unpooled.EMPTY_BUFFER,
          headers,
          HttpHeaders.EMPTY_HEADERS);
    }
    int length = client.content().readableBytes();
    if (length > 0 || !HttpMethod.GET.equals(client.method())) {
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, length);
    }
    return new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1,
        client.method(),
        target,
        client.content().retainedDuplicate(),
        headers,
        HttpHeaders.EMPTY_HEADERS);
  }

  /**
   * Marks a response on its way to the client. An origin's own {@code X-Cache} (a cache further in)
   * moves to {@code X-Cache-Origin}, so {@code X-Cache} always speaks for this hop.
   */
  static void decorate(
      HttpHeaders headers, String instance, String xCache, String requestId, long ageSeconds) {
    markHop(headers, instance, xCache);
    markRequest(headers, requestId, ageSeconds);
  }

  /** The part of {@link #decorate} that is the same for every answer from one stored response. */
  static void markHop(HttpHeaders headers, String instance, String xCache) {
    String originCache = String.join(", ", headers.getAll(X_CACHE));
    headers.remove(X_CACHE);
    if (!originCache.isEmpty()) {
      headers.set(X_CACHE_ORIGIN, originCache);
    }
    headers.set(X_CACHE, xCache);
    headers.setInt(X_CACHE_HITS, 0); // this hop's count; a hit sets its own
    append(headers, HttpHeaderNames.VIA, via(instance));
    append(headers, X_SERVED_BY, instance);
  }

  /** The part of {@link #decorate} that differs from one answer to the next. */
  static void markRequest(HttpHeaders headers, String requestId, long ageSeconds) {
    headers.set(X_REQUEST_ID, requestId);
    headers.set(HttpHeaderNames.AGE, ageSeconds);
  }

  /** Appends one element to a comma-separated list field, merging any existing lines. */
  static void append(HttpHeaders headers, CharSequence name, String value) {
    List<String> existing = headers.getAll(name);
    headers.set(name, existing.isEmpty() ? value : String.join(", ", existing) + ", " + value);
  }
}
