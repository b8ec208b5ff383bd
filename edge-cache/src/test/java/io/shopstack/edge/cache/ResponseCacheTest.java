package io.shopstack.edge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.shopstack.edge.origin.OriginResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bounds and admission of the store. */
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
  void aScanOfOneHitWondersDoesNotEvictTheHotSet() {
    long oneEntry = entry(1000, 60_000).sizeBytes();
    ResponseCache cache = new ResponseCache(10_000, oneEntry * 50);
    // Each hot key is asked for again only after 100 one-time keys have passed: twice what the
    // store holds, so an LRU would have dropped every one of them by then.
    for (int i = 0; i < 4_000; i++) {
      if (i % 5 == 0) {
        CacheKey hot = key("/hot/" + (i / 5) % 20);
        if (cache.lookup(hot, NO_HEADERS, NOW).isEmpty()) {
          cache.store(hot, entry(1000, 60_000));
        }
      }
      cache.lookup(key("/scan/" + i), NO_HEADERS, NOW);
      cache.store(key("/scan/" + i), entry(1000, 60_000));
    }

    for (int i = 0; i < 20; i++) {
      assertThat(cache.lookup(key("/hot/" + i), NO_HEADERS, NOW)).as("/hot/" + i).isPresent();
    }
    assertThat(cache.byteCount()).isLessThanOrEqualTo(oneEntry * 50);
    assertThat(cache.evictionCount()).isGreaterThanOrEqualTo(4_000 - 50);
  }

  @Test
  void maxEntriesBoundsTheCountOfSmallObjects() {
    ResponseCache cache = new ResponseCache(10, 1 << 20);
    for (int i = 0; i < 50; i++) {
      cache.store(key("/" + i), entry(1, 60_000));
    }
    assertThat(cache.entryCount()).isLessThanOrEqualTo(10);
    assertThat(cache.evictionCount()).isEqualTo(50 - cache.entryCount());
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
