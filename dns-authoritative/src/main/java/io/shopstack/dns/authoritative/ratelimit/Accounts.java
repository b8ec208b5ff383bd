package io.shopstack.dns.authoritative.ratelimit;

import java.util.Arrays;

/**
 * RRL's accounts, one per client network, at most a fixed number: when full, the network charged
 * least recently is forgotten, as BIND's RRL reuses its oldest entry. Kept in parallel arrays with
 * an open-addressing index and an LRU list of slot numbers, so that charging an answer makes no
 * garbage: a {@code LinkedHashMap<Long, ...>} boxed the network number on every query of the fast
 * path. Not thread-safe; the limiter holds its lock around every use.
 */
final class Accounts {
  private static final int NONE = -1;
  private static final int FIRST_SLOTS = 256;

  /** Per slot: the network's number and its bucket. */
  long[] network = new long[0];

  double[] balance = new double[0];
  long[] lastNanos = new long[0];
  long[] limited = new long[0];

  /** Per slot, the LRU list's neighbours: the slot charged just after it and just before it. */
  private int[] newer = new int[0];

  private int[] older = new int[0];

  /** Linear probing over network numbers: slot + 1, or 0 for an empty place. */
  private int[] index;

  private int mask;
  private final int capacity;
  private int size;
  private int newest = NONE;
  private int oldest = NONE;

  Accounts(int capacity) {
    if (capacity < 1 || capacity > 1 << 24) {
      throw new IllegalArgumentException("capacity must be 1 to 2^24: " + capacity);
    }
    this.capacity = capacity;
    // The table grows as networks come, as BIND's does: a server few clients reach keeps it small.
    slots(Math.min(capacity, FIRST_SLOTS));
  }

  private void slots(int slots) {
    network = Arrays.copyOf(network, slots);
    balance = Arrays.copyOf(balance, slots);
    lastNanos = Arrays.copyOf(lastNanos, slots);
    limited = Arrays.copyOf(limited, slots);
    newer = Arrays.copyOf(newer, slots);
    older = Arrays.copyOf(older, slots);
    // At most half full: probes stay short and an empty place always ends a search.
    index = new int[Integer.highestOneBit(slots * 2 - 1) * 2];
    mask = index.length - 1;
    for (int slot = 0; slot < size; slot++) {
      index[freePlace(network[slot])] = slot + 1;
    }
  }

  int size() {
    return size;
  }

  /** The slot of {@code key}'s account, now the most recently used, or -1 if it has none. */
  int find(long key) {
    for (int at = home(key); index[at] != 0; at = (at + 1) & mask) {
      int slot = index[at] - 1;
      if (network[slot] == key) {
        toNewest(slot);
        return slot;
      }
    }
    return NONE;
  }

  /**
   * A new account for {@code key} (which has none), the most recently used; when every slot is
   * taken, the least recently used account's slot, forgotten first. Its bucket is the caller's to
   * set.
   */
  int add(long key) {
    int slot;
    if (size == network.length && size < capacity) {
      slots((int) Math.min(capacity, 2L * size));
    }
    if (size < network.length) {
      slot = size++;
    } else {
      slot = oldest;
      unlink(slot);
      removeFromIndex(slot);
    }
    network[slot] = key;
    index[freePlace(key)] = slot + 1;
    linkNewest(slot);
    return slot;
  }

  private int freePlace(long key) {
    int at = home(key);
    while (index[at] != 0) {
      at = (at + 1) & mask;
    }
    return at;
  }

  private int home(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
  }

  private void toNewest(int slot) {
    if (slot != newest) {
      unlink(slot);
      linkNewest(slot);
    }
  }

  private void linkNewest(int slot) {
    older[slot] = newest;
    newer[slot] = NONE;
    if (newest != NONE) {
      newer[newest] = slot;
    } else {
      oldest = slot;
    }
    newest = slot;
  }

  private void unlink(int slot) {
    int before = older[slot];
    int after = newer[slot];
    if (before != NONE) {
      newer[before] = after;
    } else {
      oldest = after;
    }
    if (after != NONE) {
      older[after] = before;
    } else {
      newest = before;
    }
  }

  /**
   * Takes {@code slot} out of the index and closes the gap by moving later entries of the same
   * probe run back (deletion without tombstones, so a full table of churn never slows lookups).
   */
  private void removeFromIndex(int slot) {
    int gap = home(network[slot]);
    while (index[gap] != slot + 1) {
      gap = (gap + 1) & mask;
    }
    for (int at = (gap + 1) & mask; index[at] != 0; at = (at + 1) & mask) {
      int from = home(network[index[at] - 1]);
      // The entry at `at` may fill the gap only if its home is not between the gap and it.
      if (((at - from) & mask) >= ((at - gap) & mask)) {
        index[gap] = index[at];
        gap = at;
      }
    }
    index[gap] = 0;
  }
}
