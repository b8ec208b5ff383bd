package io.shopstack.dns.resolver.cache;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A map whose entries expire after their TTL and whose entries never weigh more than {@code
 * maxWeight} together: when full, the least recently used entries go first (the policy unbound's
 * caches use). The answer cache weighs entries in bytes, so a few huge RRsets cannot push memory
 * past the bound the way a count of entries would let them; the delegation cache counts entries.
 * Thread-safe; every operation is short.
 */
public final class BoundedTtlMap<K, V> {
  /**
   * A value with the seconds it has left to live and the TTL it was stored with; DNS TTLs count
   * down in whole seconds. A stale value (expired, kept for RFC 8767) has 0 seconds left.
   */
  public record Aged<V>(V value, long remainingSeconds, long ttlSeconds, boolean stale) {}

  private record Entry<V>(V value, long expiresAtMillis, long ttlSeconds, long weight) {}

  private final InstantSource clock;
  private final long maxWeight;
  private final ToLongFunction<V> weigher;
  private final long staleMillis;
  private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long weight;

  /** A map bounded by entry count that forgets entries when they expire. */
  public BoundedTtlMap(int maxEntries, InstantSource clock) {
    this(maxEntries, value -> 1, 0, clock);
  }

  /**
   * @param staleSeconds how long an expired entry is kept for {@link #getStale} (RFC 8767), while
   *     there is room for it
   */
  public BoundedTtlMap(
      long maxWeight, ToLongFunction<V> weigher, long staleSeconds, InstantSource clock) {
    if (maxWeight < 1) {
      throw new IllegalArgumentException("a cache needs room for at least one entry");
    }
    this.clock = clock;
    this.maxWeight = maxWeight;
    this.weigher = weigher;
    this.staleMillis = staleSeconds * 1000;
  }

  /**
   * Stores {@code value} for {@code ttlSeconds}; a TTL of 0 means "do not cache" (RFC 1035), and a
   * value heavier than the whole cache is not kept either.
   */
  public synchronized void put(K key, V value, long ttlSeconds) {
    if (ttlSeconds <= 0) {
      return;
    }
    long w = weigher.applyAsLong(value);
    if (w > maxWeight) {
      return;
    }
    Entry<V> old =
        entries.put(key, new Entry<>(value, clock.millis() + ttlSeconds * 1000, ttlSeconds, w));
    weight += w - (old == null ? 0 : old.weight());
    Iterator<Entry<V>> eldestFirst = entries.values().iterator();
    while (weight > maxWeight && eldestFirst.hasNext()) {
      weight -= eldestFirst.next().weight();
      eldestFirst.remove();
    }
  }

  /** The entry if it has not expired. */
  public synchronized Optional<Aged<V>> get(K key) {
    return find(key).filter(aged -> !aged.stale());
  }

  /** What a {@link #read} makes of a live entry. */
  @FunctionalInterface
  public interface Reader<V, R> {
    R read(V value, long remainingSeconds, long ttlSeconds);
  }

  /**
   * {@code reader}'s view of the entry if it has not expired, else null: {@link #get} without an
   * {@code Optional} and an {@link Aged} per call, for the cache-hit path that runs per query.
   */
  public synchronized <R> R read(K key, Reader<V, R> reader) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    long left = entry.expiresAtMillis() - clock.millis();
    if (left <= 0) {
      if (left <= -staleMillis) {
        remove(key);
      }
      return null;
    }
    return reader.read(entry.value(), left / 1000, entry.ttlSeconds());
  }

  /** The entry, also if it expired less than the stale window ago (remaining seconds <= 0). */
  public synchronized Optional<Aged<V>> getStale(K key) {
    return find(key);
  }

  private Optional<Aged<V>> find(K key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    long left = entry.expiresAtMillis() - clock.millis();
    if (left <= -staleMillis) {
      remove(key);
      return Optional.empty();
    }
    return Optional.of(
        new Aged<>(entry.value(), Math.max(left, 0) / 1000, entry.ttlSeconds(), left <= 0));
  }

  private void remove(K key) {
    Entry<V> gone = entries.remove(key);
    if (gone != null) {
      weight -= gone.weight();
    }
  }

  /** Removes every entry whose key {@code doomed} accepts, stale ones too; how many went. */
  public synchronized int removeIf(Predicate<K> doomed) {
    int removed = 0;
    for (Iterator<Map.Entry<K, Entry<V>>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<K, Entry<V>> entry = it.next();
      if (doomed.test(entry.getKey())) {
        weight -= entry.getValue().weight();
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  /**
   * Every entry that has not expired, least recently used first, with its remaining time; the LRU
   * order itself is left as it was (a dump is not a use).
   */
  public synchronized List<Map.Entry<K, Aged<V>>> live() {
    long now = clock.millis();
    List<Map.Entry<K, Aged<V>>> live = new ArrayList<>();
    entries.forEach(
        (key, entry) -> {
          long left = entry.expiresAtMillis() - now;
          if (left > 0) {
            live.add(
                Map.entry(key, new Aged<>(entry.value(), left / 1000, entry.ttlSeconds(), false)));
          }
        });
    return live;
  }

  public synchronized int size() {
    return entries.size();
  }

  /** What the entries weigh together (bytes for the answer cache). */
  public synchronized long weight() {
    return weight;
  }

  @Override
  public synchronized String toString() {
    return entries.size() + " entries weighing " + weight + " of " + maxWeight;
  }
}
