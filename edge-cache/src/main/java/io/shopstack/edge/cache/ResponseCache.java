package io.shopstack.edge.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store: for each key the stored variants ({@code Vary}), bounded by variant count and by
 * bytes, least recently used key out first. Shared by all event loops of one instance, so every
 * method holds the monitor; the work under it is a map operation, never I/O.
 *
 * <p>Entries are kept past their freshness while they can still be revalidated or served stale; the
 * caller decides what a stale entry is good for.
 */
public final class ResponseCache {
  /** More variants than this per URL is a Vary on something nearly unique: keep the newest. */
  static final int MAX_VARIANTS_PER_KEY = 16;

  private final int maxEntries;
  private final long maxBytes;
  private final long graceMillis;
  private final LinkedHashMap<CacheKey, List<CacheEntry>> entries =
      new LinkedHashMap<>(64, 0.75f, true);
  private int variants;
  private long bytes;
  private long evictions;

  public ResponseCache(int maxEntries, long maxBytes) {
    this(maxEntries, maxBytes, 0);
  }

  /**
   * @param graceMillis how long past their lifetime entries are kept to stand in for a failing
   *     origin even when the origin gave no {@code stale-if-error}
   */
  public ResponseCache(int maxEntries, long maxBytes, long graceMillis) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.graceMillis = graceMillis;
  }

  /**
   * The newest stored variant the request selects (RFC 9111 4.1), fresh or not. An entry of no
   * further use (stale, nothing to revalidate with, past every stale window) is dropped on the way.
   */
  public synchronized Optional<CacheEntry> lookup(
      CacheKey key, HttpHeaders requestHeaders, long nowMillis) {
    List<CacheEntry> stored = entries.get(key);
    if (stored == null) {
      return Optional.empty();
    }
    for (CacheEntry entry : stored) {
      if (CachePolicy.matchesVary(entry, requestHeaders)) {
        if (!entry.worthKeeping(nowMillis, graceMillis)) {
          removeVariant(key, entry);
          return Optional.empty();
        }
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  /**
   * Stores a response fetched for a request with {@code requestHeaders}: it replaces the variants
   * that request selected, sits first among the rest, and the least recently used keys go until the
   * store is within bounds.
   */
  public synchronized void store(CacheKey key, HttpHeaders requestHeaders, CacheEntry entry) {
    if (entry.sizeBytes() > maxBytes) {
      return;
    }
    List<CacheEntry> stored = entries.get(key);
    List<CacheEntry> kept = new ArrayList<>();
    kept.add(entry);
    if (stored != null) {
      for (CacheEntry old : stored) {
        if (kept.size() < MAX_VARIANTS_PER_KEY
            && !CachePolicy.matchesVary(old, requestHeaders)
            && !old.varyValues().equals(entry.varyValues())) {
          kept.add(old);
        }
      }
    }
    put(key, kept);
    trim();
  }

  /** Same as {@link #store(CacheKey, HttpHeaders, CacheEntry)} for a response without Vary. */
  public void store(CacheKey key, CacheEntry entry) {
    store(key, io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE, entry);
  }

  /** Puts a freshened entry (RFC 9111 4.3.4) where {@code old} was, if it is still there. */
  public synchronized void replace(CacheKey key, CacheEntry old, CacheEntry updated) {
    List<CacheEntry> stored = entries.get(key);
    if (stored == null || !stored.contains(old)) {
      return;
    }
    List<CacheEntry> kept = new ArrayList<>(stored);
    kept.set(kept.indexOf(old), updated);
    put(key, kept);
    trim();
  }

  /** RFC 9111 4.4: every stored variant of the URI goes. */
  public synchronized void invalidate(CacheKey key) {
    put(key, List.of());
  }

  /** PURGE: removes every variant of one URL; how many there were. */
  public synchronized int purge(CacheKey key) {
    List<CacheEntry> stored = entries.get(key);
    put(key, List.of());
    return stored == null ? 0 : stored.size();
  }

  /**
   * BAN: removes every stored variant the predicate picks, by a scan under the lock (an operator's
   * command, not a request path: Varnish's ban lurker walks its objects too).
   */
  public synchronized int ban(java.util.function.BiPredicate<CacheKey, CacheEntry> banned) {
    int removed = 0;
    for (CacheKey key : List.copyOf(entries.keySet())) {
      List<CacheEntry> stored = entries.get(key);
      List<CacheEntry> kept = stored.stream().filter(e -> !banned.test(key, e)).toList();
      if (kept.size() != stored.size()) {
        removed += stored.size() - kept.size();
        put(key, kept);
      }
    }
    return removed;
  }

  public synchronized int entryCount() {
    return variants;
  }

  public synchronized long byteCount() {
    return bytes;
  }

  public synchronized long evictionCount() {
    return evictions;
  }

  private void removeVariant(CacheKey key, CacheEntry entry) {
    List<CacheEntry> kept = new ArrayList<>(entries.get(key));
    kept.remove(entry);
    put(key, kept);
  }

  /** Replaces the key's variants, keeping the counts right; an empty list removes the key. */
  private void put(CacheKey key, List<CacheEntry> kept) {
    List<CacheEntry> old = kept.isEmpty() ? entries.remove(key) : entries.put(key, kept);
    if (old != null) {
      variants -= old.size();
      bytes -= sizeOf(old);
    }
    if (!kept.isEmpty()) {
      variants += kept.size();
      bytes += sizeOf(kept);
    }
  }

  private void trim() {
    Iterator<Map.Entry<CacheKey, List<CacheEntry>>> eldest = entries.entrySet().iterator();
    while ((variants > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
      List<CacheEntry> gone = eldest.next().getValue();
      variants -= gone.size();
      bytes -= sizeOf(gone);
      eldest.remove();
      evictions++;
    }
  }

  private static long sizeOf(List<CacheEntry> list) {
    long sum = 0;
    for (CacheEntry e : list) {
      sum += e.sizeBytes();
    }
    return sum;
  }
}
