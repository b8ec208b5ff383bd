package io.shopstack.edge.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The store: entries by key, bounded by count and by bytes, least recently used out first. Shared
 * by all event loops of one instance, so every method holds the monitor; the work under it is a map
 * operation, never I/O.
 *
 * <p>One variant per key: a response with {@code Vary} is kept for the request that fetched it, and
 * a request with other values is a miss whose response replaces it.
 */
public final class ResponseCache {
  private final int maxEntries;
  private final long maxBytes;
  private final LinkedHashMap<CacheKey, CacheEntry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;
  private long evictions;

  public ResponseCache(int maxEntries, long maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /**
   * The entry for {@code key} if it is fresh at {@code nowMillis} and matches the request's Vary
   * values. A stale entry is dropped on the way: without revalidation it is of no further use.
   */
  public synchronized Optional<CacheEntry> lookup(
      CacheKey key, HttpHeaders requestHeaders, long nowMillis) {
    CacheEntry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!entry.isFresh(nowMillis)) {
      remove(key);
      return Optional.empty();
    }
    return CachePolicy.matchesVary(entry, requestHeaders) ? Optional.of(entry) : Optional.empty();
  }

  /** Stores (or replaces) the entry and evicts the least recently used until within bounds. */
  public synchronized void store(CacheKey key, CacheEntry entry) {
    if (entry.sizeBytes() > maxBytes) {
      return;
    }
    remove(key);
    entries.put(key, entry);
    bytes += entry.sizeBytes();
    Iterator<Map.Entry<CacheKey, CacheEntry>> eldest = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
      bytes -= eldest.next().getValue().sizeBytes();
      eldest.remove();
      evictions++;
    }
  }

  /** RFC 9111 4.4: an unsafe request that succeeded makes the stored response for its URI stale. */
  public synchronized void invalidate(CacheKey key) {
    remove(key);
  }

  public synchronized int entryCount() {
    return entries.size();
  }

  public synchronized long byteCount() {
    return bytes;
  }

  public synchronized long evictionCount() {
    return evictions;
  }

  private void remove(CacheKey key) {
    CacheEntry old = entries.remove(key);
    if (old != null) {
      bytes -= old.sizeBytes();
    }
  }
}
