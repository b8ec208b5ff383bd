package io.shopstack.edge.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.shopstack.edge.cache.CacheEntry;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The wire side of keeping stored responses right: validators out, invalidation targets in. */
final class Revalidation {
  private Revalidation() {}

  /**
   * RFC 9111 4.3.1: ask the origin whether the stored response is still current, with its ETag and
   * its Last-Modified date, so an unchanged answer costs a 304 and no body.
   */
  static void addValidators(HttpHeaders toOrigin, CacheEntry stale) {
    if (stale.etag() != null) {
      toOrigin.set(HttpHeaderNames.IF_NONE_MATCH, stale.etag());
    }
    if (stale.lastModified() != null) {
      toOrigin.set(HttpHeaderNames.IF_MODIFIED_SINCE, stale.lastModified());
    }
  }

  /**
   * RFC 9111 4.4: the origin-form targets of {@code Location} and {@code Content-Location} that
   * point at {@code host} (relative references, or absolute ones with that host). Other hosts are
   * never invalidated: that would let one site purge another's pages.
   */
  static List<String> sameHostTargets(String host, HttpHeaders response) {
    List<String> targets = new ArrayList<>();
    for (CharSequence name : List.of(HttpHeaderNames.LOCATION, HttpHeaderNames.CONTENT_LOCATION)) {
      String value = response.get(name);
      if (value == null) {
        continue;
      }
      try {
        URI uri = new URI(value.trim());
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.isOpaque()) {
          continue;
        }
        if (uri.getHost() != null
            && !(uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()))
                .toLowerCase(Locale.ROOT)
                .equals(host)) {
          continue;
        }
        if (!uri.getRawPath().startsWith("/")) {
          continue; // relative to the request path: rare, and never worth guessing
        }
        targets.add(
            uri.getRawQuery() == null
                ? uri.getRawPath()
                : uri.getRawPath() + "?" + uri.getRawQuery());
      } catch (URISyntaxException e) {
        // Not a URI: nothing to invalidate.
      }
    }
    return targets;
  }
}
