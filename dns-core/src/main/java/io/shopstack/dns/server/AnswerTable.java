package io.shopstack.dns.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One generation of prepared answers ({@link PreparedAnswers}): an open-addressing table of {@link
 * PreparedAnswers.Answer}s, each holding its own key and answer bytes in one array. Looking up an
 * answer is then three memory reads that depend on each other (slot, entry, bytes), and the copy
 * that follows reads on in the same array; a {@code ConcurrentHashMap} of key and answer objects
 * took six (slot, node, key, key bytes, answer, answer bytes), and with tens of thousands of
 * answers each of those is a cache miss: the lookup was the largest part of a replayed answer's
 * user CPU.
 *
 * <p>Read by every event loop without a lock, written (a miss, a move from the old generation)
 * under the table's lock: an entry is immutable and published with a release store, the slot array
 * is replaced whole when it grows. A reader still on the array before a growth can miss an entry
 * kept meanwhile; it then takes the full path, as on any miss. Entries are never removed: a
 * generation is dropped whole.
 */
final class AnswerTable {
  private static final VarHandle SLOTS =
      MethodHandles.arrayElementVarHandle(PreparedAnswers.Answer[].class);
  private static final int INITIAL_SLOTS = 1024;

  private volatile PreparedAnswers.Answer[] slots = new PreparedAnswers.Answer[INITIAL_SLOTS];
  private volatile int size;
  private volatile long bytes;

  /** The answer kept under {@code key}, or null. */
  PreparedAnswers.Answer get(PlainQuery.Key key) {
    PreparedAnswers.Answer[] table = slots;
    int mask = table.length - 1;
    int hash = key.hashCode();
    for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
      PreparedAnswers.Answer answer = (PreparedAnswers.Answer) SLOTS.getAcquire(table, i);
      if (answer == null) {
        return null;
      }
      if (answer.hash() == hash && key.sameAs(answer.bytes(), answer.wireAt())) {
        return answer;
      }
    }
  }

  /** Keeps {@code answer} (one made for its key: {@link PreparedAnswers.Answer#keptAs}). */
  synchronized void put(PreparedAnswers.Answer answer) {
    PreparedAnswers.Answer[] table = slots;
    if (2 * (size + 1) > table.length) {
      table = grown(table);
      slots = table;
    }
    int mask = table.length - 1;
    for (int i = spread(answer.hash()) & mask; ; i = (i + 1) & mask) {
      PreparedAnswers.Answer there = table[i];
      if (there == null) {
        SLOTS.setRelease(table, i, answer);
        size++;
        bytes += answer.bytes().length;
        return;
      }
      if (there.hash() == answer.hash()
          && Arrays.equals(there.bytes(), 0, there.wireAt(), answer.bytes(), 0, answer.wireAt())) {
        SLOTS.setRelease(table, i, answer); // the same question answered again: the newer one
        return;
      }
    }
  }

  private static PreparedAnswers.Answer[] grown(PreparedAnswers.Answer[] table) {
    PreparedAnswers.Answer[] bigger = new PreparedAnswers.Answer[table.length * 2];
    int mask = bigger.length - 1;
    for (PreparedAnswers.Answer answer : table) {
      if (answer != null) {
        int i = spread(answer.hash()) & mask;
        while (bigger[i] != null) {
          i = (i + 1) & mask;
        }
        bigger[i] = answer;
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
