package io.shopstack.dns.resolver;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand, so TTL expiry is checked without sleeping. */
public final class MutableClock implements InstantSource {
  private volatile Instant now = Instant.parse("2018-07-01T08:00:00Z");

  public void advance(Duration by) {
    now = now.plus(by);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
