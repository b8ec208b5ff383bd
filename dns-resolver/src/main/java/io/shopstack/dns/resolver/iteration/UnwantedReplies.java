package io.shopstack.dns.resolver.iteration;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Datagrams that answered nothing we asked (a wrong ID or question, a forgery that lost the race)
 * and, like unbound's {@code unwanted-reply-threshold}, the defence when too many arrive: a flood
 * of them is what a spoofing attempt looks like, and one that succeeded may have left poison in the
 * cache, so the caches are emptied and a warning logged each time {@code threshold} more have come.
 * 0 (the default, as unbound's) only counts.
 */
public final class UnwantedReplies {
  private static final Logger log = LoggerFactory.getLogger(UnwantedReplies.class);

  private final LongAdder total = new LongAdder();
  private final AtomicLong sinceFlush = new AtomicLong();
  private final LongAdder flushes = new LongAdder();
  private final long threshold;
  private final Runnable flushCaches;

  public UnwantedReplies(long threshold, Runnable flushCaches) {
    if (threshold < 0) {
      throw new IllegalArgumentException("unwantedReplyThreshold must be >= 0: " + threshold);
    }
    this.threshold = threshold;
    this.flushCaches = flushCaches;
  }

  /** One more unwanted datagram. */
  void count() {
    total.increment();
    if (threshold > 0 && sinceFlush.incrementAndGet() >= threshold) {
      sinceFlush.set(0);
      flushes.increment();
      log.warn(
          "{} unwanted replies since the last flush (unwantedReplyThreshold): a spoofing attempt?"
              + " Caches emptied",
          threshold);
      flushCaches.run();
    }
  }

  public long total() {
    return total.sum();
  }

  /** How often the threshold emptied the caches. */
  public long flushes() {
    return flushes.sum();
  }
}
