package io.shopstack.edge.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The system clock plus an offset a test can push forward, so stored responses age instantly. */
public final class TestClock extends Clock {
  private final AtomicLong offsetMillis = new AtomicLong();

  public void advance(Duration duration) {
    offsetMillis.addAndGet(duration.toMillis());
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offsetMillis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
