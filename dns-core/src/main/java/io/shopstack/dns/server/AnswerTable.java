package io.shopstack.dns.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One generation of prepared answers ({@link PreparedAnswers}): an open-addressing table of {@link
 * KeptAnswer}s, each one byte array holding its key's hash, its key and its answer. Looking up an
 * answer is then two memory reads that depend on each other (slot, entry), and the copy that
 * follows reads on in the same array; a {@code ConcurrentHashMap} of key and answer objects took
 * six (slot, node, key, key bytes, answer, answer bytes), and with tens of thousands of answers
 * each of those is a cache miss: the lookup was the largest part of a replayed answer's user CPU.
 *
 * <p>Read by every event loop without a lock, written (a miss, a move from the old generation)
 * under the table's lock: an entry is never changed once made and is published with a release
 * store, the slot array is replaced whole when it grows. A reader still on the array before a
 * growth can miss an entry kept meanwhile; it then takes the full path, as on any miss. Entries are
 * never removed: a generation is dropped whole.
 */
final class AnswerTable {
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(byte[][].class);
  private static final int INITIAL_SLOTS = 1024;

  private volatile byte[][] slots = new byte[INITIAL_SLOTS][];
  private volatile int size;
  private volatile long bytes;

  /** The answer kept under {@code key} ({@link KeptAnswer}), or null. */
  byte[] get(PlainQuery.Key key) {
    byte[][] table = slots;
    int mask = table.length - 1;
    int hash = key.hashCode();
    for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
      byte[] kept = (byte[]) SLOTS.getAcquire(table, i);
      if (kept == null) {
        return null;
      }
      if (KeptAnswer.hash(kept) == hash && KeptAnswer.isFor(kept, key)) {
        return kept;
      }
    }
  }

  /** Keeps {@code kept} (a {@link KeptAnswer}). */
  synchronized void put(byte[] kept) {
    byte[][] table = slots;
    if (2 * (size + 1) > table.length) {
      table = grown(table);
      slots = table;
    }
    int mask = table.length - 1;
    int hash = KeptAnswer.hash(kept);
    for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
      byte[] there = table[i];
      if (there == null) {
        SLOTS.setRelease(table, i, kept);
        size++;
        bytes += kept.length;
        return;
      }
      if (KeptAnswer.hash(there) == hash && KeptAnswer.sameKey(there, kept)) {
        SLOTS.setRelease(table, i, kept); // the same question answered again: the newer one
        return;
      }
    }
  }

  private static byte[][] grown(byte[][] table) {
    byte[][] bigger = new byte[table.length * 2][];
    int mask = bigger.length - 1;
    for (byte[] kept : table) {
      if (kept != null) {
        int i = spread(KeptAnswer.hash(kept)) & mask;
        while (bigger[i] != null) {
          i = (i + 1) & mask;
        }
        bigger[i] = kept;
      }
    }
    return bigger; // published whole by the volatile write of the caller
  }

  /** Entries kept. */
  int size() {
    return size;
  }

  /** Bytes of keys and answers kept. */
  long bytes() {
    return bytes;
  }

  /**
   * Mixes the key's hash (a polynomial over its bytes, whose low bits alone cluster for names that
   * differ in a digit) before its low bits pick a slot: murmur3's finalizer.
   */
  private static int spread(int hash) {
    int h = hash;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
