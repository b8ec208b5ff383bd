package io.shopstack.dns.resolver.cache;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A map whose entries expire after their TTL and which never holds more than {@code maxEntries}:
 * when full, the least recently used entry goes first (the policy unbound's caches use). Both
 * resolver caches are built on it. Thread-safe; every operation is short.
 */
public final class BoundedTtlMap<K, V> {
  /** A value with the seconds it has left to live; DNS TTLs count down in whole seconds. */
  public record Aged<V>(V value, long remainingSeconds) {}

  private record Entry<V>(V value, long expiresAtMillis) {}

  private final InstantSource clock;
  private final LinkedHashMap<K, Entry<V>> entries;

  public BoundedTtlMap(int maxEntries, InstantSource clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("a cache needs room for at least one entry");
    }
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /** Stores {@code value} for {@code ttlSeconds}; a TTL of 0 means "do not cache" (RFC 1035). */
  public synchronized void put(K key, V value, long ttlSeconds) {
    if (ttlSeconds <= 0) {
      return;
    }
    entries.put(key, new Entry<>(value, clock.millis() + ttlSeconds * 1000));
  }

  public synchronized Optional<Aged<V>> get(K key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    long left = entry.expiresAtMillis() - clock.millis();
    if (left <= 0) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(new Aged<>(entry.value(), left / 1000));
  }

  public synchronized int size() {
    return entries.size();
  }
}
