package io.shopstack.slb.proxy;

import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs clients refused because the SLB ran out of its own resources (no file descriptor left for
 * the backend socket): the first one at once, then at most one line a second with how many were
 * refused meanwhile, so running out under a flood writes a few lines, not one per client.
 */
final class ResourceRefusals {
  private static final Logger log = LoggerFactory.getLogger(ResourceRefusals.class);
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final AtomicLong nextLine = new AtomicLong(System.nanoTime());
  private final AtomicInteger unlogged = new AtomicInteger();

  void refused(Channel client, Exception cause) {
    int count = unlogged.incrementAndGet();
    long now = System.nanoTime();
    long next = nextLine.get();
    if (now - next >= 0 && nextLine.compareAndSet(next, now + INTERVAL_NANOS)) {
      unlogged.addAndGet(-count);
      log.warn(
          "refused {} client(s), the last {}: cannot open a backend socket: {}",
          count,
          client.remoteAddress(),
          cause.getCause() == null ? cause.getMessage() : cause.getCause().getMessage());
    }
  }
}
