package io.shopstack.dns.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One generation of prepared answers: an open-addressed table (linear probing, at most half full)
 * of the key's bytes, its hash and the answer in one entry. Every query the fast path answers looks
 * here first, so a lookup is one probe of the slot array and, on a hit, the entry and its key bytes
 * to compare: a {@code ConcurrentHashMap} walked a node, a key object and its bytes for each entry
 * it compared, and was the top Java entry of the pinned benchmark's profile (JFR).
 *
 * <p>Reads take no lock and may run on every event loop while one of them adds an answer. Entries
 * are never removed or replaced (a generation is dropped whole), so a reader sees either a slot's
 * entry or an empty slot; an empty one only means the slow path answers that query once more.
 * Writers take the table's lock; growing publishes a new slot array and never touches the old one
 * again, so a reader still probing the old one finds what it held.
 */
final class AnswerTable {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);
  private static final int FIRST_SLOTS = 1024;

  private record Entry(int hash, byte[] key, PreparedAnswers.Answer answer) {}

  private final int maxEntries;
  private volatile Entry[] slots = new Entry[FIRST_SLOTS];

  // Guarded by this; read without the lock only to decide whether the generation is full.
  private volatile int size;
  private volatile long bytes;

  /** A table that takes up to {@code maxEntries} answers. */
  AnswerTable(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** The answer kept under {@code key} (compared by bytes), or null. */
  PreparedAnswers.Answer get(PlainQuery.Key key) {
    Entry[] table = slots;
    int mask = table.length - 1;
    int hash = key.hashCode();
    for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
      Entry entry = (Entry) SLOT.getAcquire(table, i);
      if (entry == null) {
        return null;
      }
      if (entry.hash == hash && key.sameBytes(entry.key)) {
        return entry.answer;
      }
    }
  }

  /**
   * Keeps {@code answer} under a copy of {@code key} unless the key is there already or the table
   * holds {@code maxEntries}; {@code bytes} is what the entry is charged.
   */
  synchronized void put(PlainQuery.Key key, PreparedAnswers.Answer answer, int bytes) {
    if (size >= maxEntries) {
      return;
    }
    Entry[] table = slots;
    if (2 * (size + 1) > table.length) {
      table = grown(table);
      slots = table;
    }
    int mask = table.length - 1;
    int hash = key.hashCode();
    int i = slot(hash, mask);
    for (Entry entry = table[i]; entry != null; entry = table[i]) {
      if (entry.hash == hash && key.sameBytes(entry.key)) {
        return;
      }
      i = (i + 1) & mask;
    }
    SLOT.setRelease(table, i, new Entry(hash, key.bytesCopy(), answer));
    size = size + 1;
    this.bytes = this.bytes + bytes;
  }

  /** True once the table holds {@code maxEntries} answers or {@code maxBytes} bytes. */
  boolean full(long maxBytes) {
    return size >= maxEntries || bytes >= maxBytes;
  }

  int size() {
    return size;
  }

  private static Entry[] grown(Entry[] table) {
    Entry[] bigger = new Entry[2 * table.length];
    int mask = bigger.length - 1;
    for (Entry entry : table) {
      if (entry != null) {
        int i = slot(entry.hash, mask);
        while (bigger[i] != null) {
          i = (i + 1) & mask;
        }
        bigger[i] = entry;
      }
    }
    // Published through the volatile field, after every entry is in place.
    return bigger;
  }

  /**
   * Fibonacci hashing: the top bits of the product, which every bit of the hash moves (the key's
   * polynomial hash of similar names differs mostly in its low bits).
   */
  private static int slot(int hash, int mask) {
    return (hash * 0x9E3779B9) >>> Integer.numberOfLeadingZeros(mask);
  }
}
