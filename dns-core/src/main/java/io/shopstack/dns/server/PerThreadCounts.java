package io.shopstack.dns.server;

import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counters bumped once per answer, at 100,000s of answers a second: each thread counts in an array
 * of its own with plain stores, and /metrics adds the arrays up when it is scraped. No atomic
 * instruction and no shared cache line per answer, which a Micrometer counter per answer costs.
 *
 * <p>Only the owning thread writes an array, so an increment needs no read-modify-write atomicity;
 * opaque access keeps each 64-bit value whole and visible to the scraping thread eventually, which
 * is all a counter read needs. The arrays of threads that ended stay in the sum: their answers were
 * sent.
 */
final class PerThreadCounts {
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final int slots;
  private final List<long[]> all = new CopyOnWriteArrayList<>();
  private final FastThreadLocal<long[]> mine =
      new FastThreadLocal<>() {
        @Override
        protected long[] initialValue() {
          long[] counts = new long[slots];
          all.add(counts);
          return counts;
        }
      };

  PerThreadCounts(int slots) {
    this.slots = slots;
  }

  /** The calling thread's counts, for several increments at the price of one lookup. */
  long[] mine() {
    return mine.get();
  }

  /**
   * Adds one to {@code slot} of {@code counts}, which must be the calling thread's {@link #mine}.
   */
  static long increment(long[] counts, int slot) {
    long before = (long) LONGS.getOpaque(counts, slot);
    LONGS.setOpaque(counts, slot, before + 1);
    return before;
  }

  /** The total of {@code slot} over every thread, as of about now. */
  long sum(int slot) {
    long sum = 0;
    for (long[] counts : all) {
      sum += (long) LONGS.getOpaque(counts, slot);
    }
    return sum;
  }
}
