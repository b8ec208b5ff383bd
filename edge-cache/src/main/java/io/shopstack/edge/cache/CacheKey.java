package io.shopstack.edge.cache;

import java.util.Locale;

/**
 * What a cached response is filed under: host plus path and query, like Varnish's default hash. The
 * method is not part of it because only GET fills the cache and HEAD is answered from the GET
 * entry.
 */
public record CacheKey(String host, String target) {
  public CacheKey {
    host = host == null ? "" : host.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return host + target;
  }
}
