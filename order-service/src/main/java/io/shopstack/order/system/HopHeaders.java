package io.shopstack.order.system;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The headers every answer of this hop carries, whichever path answered (Spring MVC through {@link
 * ServedByFilter}, or the order fast path): {@code X-Served-By} with the instance's name and the
 * request's {@code X-Request-Id}.
 */
public final class HopHeaders {

  public static final String SERVED_BY = "X-Served-By";
  public static final String REQUEST_ID = "X-Request-Id";

  private HopHeaders() {}

  /**
   * The caller's request ID, or a new random (version 4) UUID when it sent none. The ID only has to
   * be unique enough to find one purchase in the logs: {@code UUID.randomUUID()}'s SecureRandom,
   * shared by every request thread behind one lock, is not needed for that.
   */
  public static String requestId(String given) {
    if (given != null && !given.isBlank()) {
      return given;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(high, low).toString();
  }
}
