package io.shopstack.common.testing;

import io.netty.channel.EventLoop;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Event loops held busy by a task each until {@link #close()} (at most 10 s), so that what arrives
 * meanwhile (clients completing their handshakes in the kernel) waits for their next turn.
 */
public final class BusyLoops implements AutoCloseable {
  private final CountDownLatch release = new CountDownLatch(1);

  private BusyLoops() {}

  /** Returns once every loop of {@code loops} is running the holding task. */
  public static BusyLoops hold(Iterable<? extends EventLoop> loops) throws InterruptedException {
    BusyLoops held = new BusyLoops();
    for (EventLoop loop : loops) {
      CountDownLatch busy = new CountDownLatch(1);
      loop.execute(
          () -> {
            busy.countDown();
            held.awaitRelease();
          });
      if (!busy.await(5, TimeUnit.SECONDS)) {
        held.close();
        throw new AssertionError("event loop " + loop + " did not run the holding task in 5 s");
      }
    }
    return held;
  }

  private void awaitRelease() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets the loops go on. */
  @Override
  public void close() {
    release.countDown();
  }
}
