package io.shopstack.dns.authoritative.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The account table against the JDK's access-ordered {@link LinkedHashMap} with the same bound,
 * which the limiter used before: the same networks must be remembered and forgotten in the same
 * order, through growth, evictions and the index's gap closing.
 */
class AccountsTest {

  /** Charges {@code ops} random networks out of {@code networks} and compares after each. */
  private static void followsTheLruMap(int capacity, int networks, int ops, long seed) {
    Accounts table = new Accounts(capacity);
    Map<Long, Long> model =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > capacity;
          }
        };
    Random random = new Random(seed);
    for (int i = 0; i < ops; i++) {
      // Keys far apart and close together alike: the index's hash must spread both.
      long key =
          random.nextBoolean() ? random.nextInt(networks) : (long) random.nextInt(networks) << 40;
      int slot = table.find(key);
      Long kept = model.get(key);
      assertThat(slot >= 0).as("op %d, network %d remembered", i, key).isEqualTo(kept != null);
      if (slot >= 0) {
        assertThat(table.network[slot]).isEqualTo(key);
        assertThat(table.limited[slot]).as("the account's own bucket").isEqualTo(kept);
      } else {
        slot = table.add(key);
        table.limited[slot] = i;
        model.put(key, (long) i);
      }
      assertThat(table.size()).isEqualTo(model.size());
    }
  }

  @Test
  void remembersAndForgetsAsTheLruMapDoesWhenSmall() {
    followsTheLruMap(1, 3, 2_000, 1);
    followsTheLruMap(5, 9, 20_000, 2);
    followsTheLruMap(7, 7, 5_000, 3);
  }

  @Test
  void remembersAndForgetsAsTheLruMapDoesWhileGrowingAndFull() {
    // 256 slots at first, then 512, then full at 600 with churn from 900 networks.
    followsTheLruMap(600, 900, 200_000, 4);
    followsTheLruMap(ResponseRateLimiter.MAX_ACCOUNTS, 70_000, 400_000, 5);
  }

  @Test
  void aCapacityOutsideTheTablesRangeIsRefused() {
    assertThatThrownBy(() -> new Accounts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Accounts((1 << 24) + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chargingAFullTableMakesNoGarbage() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Accounts table = new Accounts(1_000);
    for (long key = 0; key < 1_000; key++) {
      table.add(key);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    long seen = 0;
    for (long key = 0; key < 100_000; key++) {
      int slot = table.find(key % 1_500);
      seen += slot >= 0 ? slot : table.add(key % 1_500);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(seen).isPositive();
    assertThat(allocated).as("bytes allocated by 100,000 lookups and evictions").isZero();
  }
}
