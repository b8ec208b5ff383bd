package io.shopstack.slb.backend;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The lookup table of Maglev consistent hashing (Eisenbud et al., NSDI 2016, section 3.4). Each
 * backend walks its own permutation of the table's slots, derived from its name only, and the
 * backends take turns claiming their next free slot until the table is full. So every backend owns
 * nearly the same number of slots (they differ by at most one), and removing a backend frees only
 * its own slots: the clients of the others mostly keep their backend.
 *
 * <p>A client is hashed on its address alone, not its port, so all its connections land on the same
 * backend while the backend set stays the same.
 */
public final class MaglevTable {
  /** A prime well above 100 x the backends of any pool, as the paper advises. */
  public static final int SIZE = 65_537;

  private final int[] slots;

  /** Builds the table for {@code names}, in order; a slot holds an index into that list. */
  public MaglevTable(List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a Maglev table needs at least one backend");
    }
    int n = names.size();
    long[] offset = new long[n];
    long[] skip = new long[n];
    for (int i = 0; i < n; i++) {
      byte[] name = names.get(i).getBytes(StandardCharsets.UTF_8);
      offset[i] = Long.remainderUnsigned(hash(name, 0x9E3779B97F4A7C15L), SIZE);
      skip[i] = Long.remainderUnsigned(hash(name, 0xC2B2AE3D27D4EB4FL), SIZE - 1) + 1;
    }
    slots = new int[SIZE];
    Arrays.fill(slots, -1);
    long[] next = new long[n];
    int filled = 0;
    while (true) {
      for (int i = 0; i < n; i++) {
        int slot = (int) ((offset[i] + next[i] * skip[i]) % SIZE);
        while (slots[slot] >= 0) {
          next[i]++;
          slot = (int) ((offset[i] + next[i] * skip[i]) % SIZE);
        }
        slots[slot] = i;
        next[i]++;
        if (++filled == SIZE) {
          return;
        }
      }
    }
  }

  /** The index of the backend that owns {@code key}'s slot. */
  public int lookup(byte[] key) {
    return slots[(int) Long.remainderUnsigned(hash(key, 0x27D4EB2F165667C5L), SIZE)];
  }

  /** How many slots each backend owns, by index: the share of clients it will get. */
  public int[] slotsPerBackend(int backends) {
    int[] counts = new int[backends];
    for (int owner : slots) {
      counts[owner]++;
    }
    return counts;
  }

  /** FNV-1a over the bytes, seeded, then a 64-bit finaliser so nearby keys scatter. */
  static long hash(byte[] bytes, long seed) {
    long h = 0xCBF29CE484222325L ^ seed;
    for (byte b : bytes) {
      h ^= b & 0xFF;
      h *= 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }
}
