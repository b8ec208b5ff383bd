package io.shopstack.edge.proxy;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.shopstack.edge.EdgeCacheConfig;
import io.shopstack.edge.cache.CacheKey;
import io.shopstack.edge.cache.ResponseCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The operator's commands: {@code PURGE} of one URL (Varnish's purge) and {@code BAN} by path
 * pattern or by surrogate key (Fastly's {@code Surrogate-Key}). They act on this cache only and
 * never reach an origin; whoever is not allowed gets 403.
 */
final class Invalidator {
  static final HttpMethod PURGE = HttpMethod.valueOf("PURGE");
  static final HttpMethod BAN = HttpMethod.valueOf("BAN");
  static final AsciiString PURGE_TOKEN = AsciiString.cached("x-purge-token");
  static final AsciiString BAN_URL = AsciiString.cached("ban-url");
  static final AsciiString SURROGATE_KEY = AsciiString.cached("surrogate-key");

  /** What the command did: a status and a line for the body. */
  record Outcome(HttpResponseStatus status, String message) {}

  private final ResponseCache cache;
  private final byte[] token;
  private final Set<String> addresses;

  Invalidator(ResponseCache cache, EdgeCacheConfig.Invalidation who) {
    this.cache = cache;
    this.token = who.token().getBytes(StandardCharsets.UTF_8);
    this.addresses = who.addresses();
  }

  static boolean isCommand(HttpMethod method) {
    return PURGE.equals(method) || BAN.equals(method);
  }

  Outcome run(FullHttpRequest request, String target, String clientIp) {
    if (!allowed(request, clientIp)) {
      return new Outcome(
          HttpResponseStatus.FORBIDDEN, request.method() + " is not allowed from " + clientIp);
    }
    String host = request.headers().get(HttpHeaderNames.HOST, "");
    if (PURGE.equals(request.method())) {
      int removed = cache.purge(new CacheKey(host, target));
      return new Outcome(HttpResponseStatus.OK, "purged " + removed + " stored response(s)");
    }
    String surrogateKey = request.headers().get(SURROGATE_KEY);
    String banUrl = request.headers().get(BAN_URL);
    if (surrogateKey != null && !surrogateKey.isBlank()) {
      String key = surrogateKey.trim();
      int removed =
          cache.ban(
              (k, entry) ->
                  entry.response().headers().getAll(SURROGATE_KEY).stream()
                      .flatMap(line -> Arrays.stream(line.split("\\s+")))
                      .anyMatch(key::equals));
      return new Outcome(HttpResponseStatus.OK, "banned " + removed + " stored response(s)");
    }
    if (banUrl != null && !banUrl.isBlank()) {
      Pattern pattern;
      try {
        pattern = Pattern.compile(banUrl.trim());
      } catch (PatternSyntaxException e) {
        return new Outcome(
            HttpResponseStatus.BAD_REQUEST, "Ban-Url is not a regular expression: " + banUrl);
      }
      int removed = cache.ban((k, entry) -> pattern.matcher(k.target()).find());
      return new Outcome(HttpResponseStatus.OK, "banned " + removed + " stored response(s)");
    }
    return new Outcome(
        HttpResponseStatus.BAD_REQUEST, "BAN needs a Ban-Url (regex) or Surrogate-Key header");
  }

  private boolean allowed(FullHttpRequest request, String clientIp) {
    if (addresses.contains(clientIp)) {
      return true;
    }
    String offered = request.headers().get(PURGE_TOKEN);
    // Constant-time comparison: the token must not leak through response timing.
    return token.length > 0
        && offered != null
        && MessageDigest.isEqual(token, offered.getBytes(StandardCharsets.UTF_8));
  }
}
