package io.shopstack.client.load;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What one bounded load run does: how many orders at most, how many in flight at once, and how long
 * at most, against which address. Both bounds hold: the run stops at whichever comes first.
 *
 * @param orders orders to place (each with its own Idempotency-Key)
 * @param concurrency orders in flight at once, one TCP connection each
 * @param cap no new order starts after this much time; those in flight finish
 * @param vip the shop's address as our DNS gave it (the SLB's virtual IP) and port
 */
public record LoadPlan(int orders, int concurrency, Duration cap, InetSocketAddress vip) {
  public static final int MAX_ORDERS = 1_000_000;
  public static final int MAX_CONCURRENCY = 256;
  public static final Duration MAX_CAP = Duration.ofHours(1);

  public LoadPlan {
    Objects.requireNonNull(vip, "vip");
    check(orders, concurrency, cap);
  }

  /** Refuses a plan out of bounds, naming the option; before anything is resolved or sent. */
  public static void check(int orders, int concurrency, Duration cap) {
    Objects.requireNonNull(cap, "cap");
    if (orders < 1 || orders > MAX_ORDERS) {
      throw new IllegalArgumentException("--orders must be 1.." + MAX_ORDERS + ": " + orders);
    }
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "--concurrency must be 1.." + MAX_CONCURRENCY + ": " + concurrency);
    }
    if (cap.isNegative() || cap.isZero() || cap.compareTo(MAX_CAP) > 0) {
      throw new IllegalArgumentException(
          "--duration must be 1.." + MAX_CAP.toSeconds() + " seconds: " + cap.toSeconds());
    }
  }
}
