package io.shopstack.edge.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * The store: for each key the stored variants ({@code Vary}), bounded by bytes. Caffeine keeps it:
 * W-TinyLFU admission means a key must be asked for more often than the one it would push out, so a
 * scan of one-hit wonders (a crawler, a cold bulk fetch) passes through without flushing the hot
 * set, which a plain LRU would lose entirely. Reads take no lock; a key's variants are an immutable
 * list replaced whole under Caffeine's per-key compute.
 *
 * <p>Every variant weighs at least {@code maxBytes / maxEntries}, so {@code maxEntries} stays a
 * bound on the count of small objects while big ones are bounded by their bytes.
 *
 * <p>Entries are kept past their freshness while they can still be revalidated or served stale; the
 * caller decides what a stale entry is good for.
 */
public final class ResponseCache {
  /** More variants than this per URL is a Vary on something nearly unique: keep the newest. */
  static final int MAX_VARIANTS_PER_KEY = 16;

  private final long maxBytes;
  private final long minWeight;
  private final long graceMillis;
  private final Cache<CacheKey, List<CacheEntry>> entries;
  private final LongAdder variants = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder evictedBytes = new LongAdder();
  private volatile Tier tier = Tier.NONE;

  public ResponseCache(int maxEntries, long maxBytes) {
    this(maxEntries, maxBytes, 0);
  }

  /**
   * @param graceMillis how long past their lifetime entries are kept to stand in for a failing
   *     origin even when the origin gave no {@code stale-if-error}
   */
  public ResponseCache(int maxEntries, long maxBytes, long graceMillis) {
    this.maxBytes = maxBytes;
    this.minWeight = Math.max(1, maxBytes / Math.max(1, maxEntries));
    this.graceMillis = graceMillis;
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((CacheKey key, List<CacheEntry> list) -> weight(list))
            // Eviction work runs on the thread that stored, not in a pool: bounds hold when
            // store() returns, and no thread outside the event loops touches the store.
            .executor(Runnable::run)
            .evictionListener(this::evicted)
            .build();
  }

  /**
   * A second, larger store behind this one (the disk tier): it hears of every change of a key's
   * variants and of every key removed on purpose (not of evictions, which only make room in
   * memory), and a memory miss asks it. Calls come under the key's lock, in the order of the
   * changes.
   */
  public interface Tier {
    Tier NONE = new Tier() {};

    default void stored(CacheKey key, List<CacheEntry> variants) {}

    default void removed(CacheKey key) {}

    /** The key's variants, or null. Blocks on the tier's medium: not for an event loop. */
    default List<CacheEntry> read(CacheKey key) {
      return null;
    }

    /** Whether it holds the key, from its index alone (no I/O). */
    default boolean holds(CacheKey key) {
      return false;
    }

    /** {@link #read} off the caller's thread. */
    default CompletableFuture<List<CacheEntry>> readLater(CacheKey key) {
      return CompletableFuture.completedFuture(read(key));
    }

    /** Every key it holds (for BAN, which must reach objects no longer in memory too). */
    default Set<CacheKey> keys() {
      return Set.of();
    }
  }

  public void tier(Tier tier) {
    this.tier = tier;
  }

  private int weight(List<CacheEntry> list) {
    long sum = 0;
    for (CacheEntry e : list) {
      sum += Math.max(minWeight, e.sizeBytes());
    }
    return (int) Math.min(Integer.MAX_VALUE, sum);
  }

  private void evicted(CacheKey key, List<CacheEntry> gone, RemovalCause cause) {
    if (gone == null) {
      return;
    }
    variants.add(-gone.size());
    long size = sizeOf(gone);
    bytes.add(-size);
    evictions.add(gone.size());
    evictedBytes.add(size);
  }

  /**
   * The newest stored variant the request selects (RFC 9111 4.1), fresh or not. An entry of no
   * further use (stale, nothing to revalidate with, past every stale window) is dropped on the way.
   */
  public Optional<CacheEntry> lookup(CacheKey key, HttpHeaders requestHeaders, long nowMillis) {
    List<CacheEntry> stored = entries.getIfPresent(key);
    if (stored == null) {
      return Optional.empty(); // in the tier below at most: see onlyBelow and loadFromBelow
    }
    for (CacheEntry entry : stored) {
      if (CachePolicy.matchesVary(entry, requestHeaders)) {
        if (!entry.worthKeeping(nowMillis, graceMillis)) {
          update(key, list -> without(list, entry));
          return Optional.empty();
        }
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  /**
   * Stores a response fetched for a request with {@code requestHeaders}: it replaces the variants
   * that request selected and sits first among the rest. Whether it stays is the admission policy's
   * call: a new key less popular than the one it would evict is evicted itself.
   */
  public void store(CacheKey key, HttpHeaders requestHeaders, CacheEntry entry) {
    if (entry.sizeBytes() > maxBytes) {
      return;
    }
    update(
        key,
        stored -> {
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
          return kept;
        });
  }

  /** Same as {@link #store(CacheKey, HttpHeaders, CacheEntry)} for a response without Vary. */
  public void store(CacheKey key, CacheEntry entry) {
    store(key, io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE, entry);
  }

  /** True when the key is not in memory but the tier below holds it (an index look-up, no I/O). */
  public boolean onlyBelow(CacheKey key) {
    // The tier first (no tier: done), and containsKey, which unlike getIfPresent does not count
    // as a use of the entry: the lookup that follows counts it once.
    return tier.holds(key) && !entries.asMap().containsKey(key);
  }

  /**
   * Reads the key's variants from the tier below off the caller's thread and puts them back in
   * memory on {@code back} (the request's event loop, which then looks up again). Completes when
   * they are back, or when there was nothing to read.
   */
  public CompletableFuture<Void> loadFromBelow(CacheKey key, Executor back) {
    return tier.readLater(key)
        .thenAcceptAsync(
            stored -> {
              if (stored != null) {
                restore(key, stored);
              }
            },
            back);
  }

  /**
   * Puts back variants read from the second tier, as they were, unless the key is stored here again
   * meanwhile.
   */
  public void restore(CacheKey key, List<CacheEntry> restored) {
    update(key, stored -> stored != null ? stored : restored, false);
  }

  /** Puts a freshened entry (RFC 9111 4.3.4) where {@code old} was, if it is still there. */
  public void replace(CacheKey key, CacheEntry old, CacheEntry updated) {
    update(
        key,
        stored -> {
          if (stored == null || !stored.contains(old)) {
            return stored;
          }
          List<CacheEntry> kept = new ArrayList<>(stored);
          kept.set(kept.indexOf(old), updated);
          return kept;
        });
  }

  /** RFC 9111 4.4: every stored variant of the URI goes. */
  public void invalidate(CacheKey key) {
    update(key, stored -> null);
    if (tier.holds(key)) {
      tier.removed(key); // no need to read what is dropped: this runs on a request's event loop
    }
  }

  /** PURGE: removes every variant of one URL; how many there were. */
  public int purge(CacheKey key) {
    int[] removed = {0};
    update(
        key,
        stored -> {
          removed[0] = stored == null ? 0 : stored.size();
          return null;
        });
    if (removed[0] == 0) {
      List<CacheEntry> onlyBelow = tier.read(key); // evicted from memory, still on disk
      if (onlyBelow != null) {
        removed[0] = onlyBelow.size();
        tier.removed(key);
      }
    }
    return removed[0];
  }

  /**
   * BAN: removes every stored variant the predicate picks, by a walk over the store (an operator's
   * command, not a request path: Varnish's ban lurker walks its objects too).
   */
  public int ban(BiPredicate<CacheKey, CacheEntry> banned) {
    int[] removed = {0};
    Set<CacheKey> inMemory = Set.copyOf(entries.asMap().keySet());
    for (CacheKey key : tier.keys()) {
      if (!inMemory.contains(key)) {
        List<CacheEntry> stored = tier.read(key);
        if (stored != null) {
          List<CacheEntry> kept = stored.stream().filter(e -> !banned.test(key, e)).toList();
          removed[0] += stored.size() - kept.size();
          if (kept.isEmpty()) {
            tier.removed(key);
          } else if (kept.size() != stored.size()) {
            tier.stored(key, kept);
          }
        }
      }
    }
    for (CacheKey key : inMemory) {
      update(
          key,
          stored -> {
            if (stored == null) {
              return null;
            }
            List<CacheEntry> kept = stored.stream().filter(e -> !banned.test(key, e)).toList();
            removed[0] += stored.size() - kept.size();
            return kept.size() == stored.size() ? stored : kept;
          });
    }
    return removed[0];
  }

  /** Stored variants. */
  public long entryCount() {
    return variants.sum();
  }

  /** Bytes of the stored variants (bodies plus a rough figure for headers). */
  public long byteCount() {
    return bytes.sum();
  }

  /** Variants evicted for room, including new ones the admission policy turned away. */
  public long evictionCount() {
    return evictions.sum();
  }

  public long evictedBytes() {
    return evictedBytes.sum();
  }

  /**
   * Every stored key with its variants, for a walk (a snapshot per key, not of the whole store).
   */
  public Map<CacheKey, List<CacheEntry>> view() {
    return java.util.Collections.unmodifiableMap(entries.asMap());
  }

  private void update(CacheKey key, UnaryOperator<List<CacheEntry>> change) {
    update(key, change, true);
  }

  /**
   * Replaces the key's variants under Caffeine's per-key lock, keeping the counts right; an empty
   * list or null removes the key. The listener hears of it in the same order as the store changes.
   */
  private void update(CacheKey key, UnaryOperator<List<CacheEntry>> change, boolean tell) {
    entries
        .asMap()
        .compute(
            key,
            (k, old) -> {
              List<CacheEntry> kept = change.apply(old);
              if (kept != null && kept.isEmpty()) {
                kept = null;
              }
              if (kept == old) {
                return old;
              }
              if (old != null) {
                variants.add(-old.size());
                bytes.add(-sizeOf(old));
              }
              if (kept != null) {
                kept = List.copyOf(kept);
                variants.add(kept.size());
                bytes.add(sizeOf(kept));
              }
              if (tell) {
                if (kept == null) {
                  tier.removed(k);
                } else {
                  tier.stored(k, kept);
                }
              }
              return kept;
            });
  }

  private static List<CacheEntry> without(List<CacheEntry> list, CacheEntry entry) {
    if (list == null || !list.contains(entry)) {
      return list;
    }
    List<CacheEntry> kept = new ArrayList<>(list);
    kept.remove(entry);
    return kept;
  }

  private static long sizeOf(List<CacheEntry> list) {
    long sum = 0;
    for (CacheEntry e : list) {
      sum += e.sizeBytes();
    }
    return sum;
  }
}
