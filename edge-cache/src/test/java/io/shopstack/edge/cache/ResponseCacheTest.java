package io.shopstack.edge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.shopstack.edge.origin.OriginResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bounds and eviction order of the store. */
class ResponseCacheTest {
  private static final long NOW = 1_000_000L;
  private static final HttpHeaders NO_HEADERS = new DefaultHttpHeaders();

  private static CacheEntry entry(int bodyBytes, long lifetimeMillis) {
    OriginResponse response =
        new OriginResponse(
            HttpResponseStatus.OK, new DefaultHttpHeaders(), new byte[bodyBytes], NOW, NOW);
    return new CacheEntry(response, 0, lifetimeMillis, Map.of());
  }

  private static CacheKey key(String path) {
    return new CacheKey("shop", path);
  }

  @Test
  void evictsTheLeastRecentlyUsedWhenFull() {
    ResponseCache cache = new ResponseCache(2, 1 << 20);
    cache.store(key("/a"), entry(1, 60_000));
    cache.store(key("/b"), entry(1, 60_000));
    cache.lookup(key("/a"), NO_HEADERS, NOW); // /a is now the most recently used
    cache.store(key("/c"), entry(1, 60_000));

    assertThat(cache.lookup(key("/a"), NO_HEADERS, NOW)).isPresent();
    assertThat(cache.lookup(key("/b"), NO_HEADERS, NOW)).isEmpty();
    assertThat(cache.lookup(key("/c"), NO_HEADERS, NOW)).isPresent();
    assertThat(cache.evictionCount()).isEqualTo(1);
  }

  @Test
  void staysWithinItsByteBudget() {
    long oneEntry = entry(1000, 60_000).sizeBytes();
    ResponseCache cache = new ResponseCache(100, oneEntry * 2);
    cache.store(key("/a"), entry(1000, 60_000));
    cache.store(key("/b"), entry(1000, 60_000));
    cache.store(key("/c"), entry(1000, 60_000));

    assertThat(cache.entryCount()).isEqualTo(2);
    assertThat(cache.byteCount()).isLessThanOrEqualTo(oneEntry * 2);
    cache.store(key("/huge"), entry(10 * 1000, 60_000)); // bigger than the whole cache
    assertThat(cache.lookup(key("/huge"), NO_HEADERS, NOW)).isEmpty();
  }

  @Test
  void staleEntriesAreDroppedAndInvalidationRemoves() {
    ResponseCache cache = new ResponseCache(10, 1 << 20);
    cache.store(key("/short"), entry(1, 1000));
    cache.store(key("/long"), entry(1, 60_000));

    assertThat(cache.lookup(key("/short"), NO_HEADERS, NOW + 999)).isPresent();
    assertThat(cache.lookup(key("/short"), NO_HEADERS, NOW + 1000)).isEmpty();
    cache.invalidate(key("/long"));
    assertThat(cache.entryCount()).isZero();
    assertThat(cache.byteCount()).isZero();
  }

  @Test
  void hostIsCaseInsensitiveInTheKey() {
    assertThat(new CacheKey("WWW.Shop.Example", "/p"))
        .isEqualTo(new CacheKey("www.shop.example", "/p"));
  }
}
