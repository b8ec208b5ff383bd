package io.shopstack.order.purchase;

import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} request header (draft-ietf-httpapi-idempotency-key-header): one value
 * per intended purchase, sent again unchanged with every retry of it.
 */
final class IdempotencyKey {

  static final String HEADER = "Idempotency-Key";

  /** Marks an answer that replays the order an earlier request with the same key placed. */
  static final String REPLAYED = "Idempotent-Replayed";

  /**
   * Visible ASCII, as a header value survives every hop, and no comma: HTTP may join repeated
   * fields with commas (RFC 9110 5.3), so "a,b" is two keys, not one. Fits the database column.
   */
  private static final Pattern VALID = Pattern.compile("[\\x21-\\x2B\\x2D-\\x7E]{1,255}");

  private IdempotencyKey() {}

  /** The key, or null when the request has none. */
  static String check(String header) {
    if (header == null) {
      return null;
    }
    if (header.indexOf(',') >= 0) {
      throw new InvalidOrderException(
          HEADER, "must be one value: two Idempotency-Key fields (or a list) name two purchases");
    }
    if (!VALID.matcher(header).matches()) {
      throw new InvalidOrderException(
          HEADER, "must be 1 to 255 visible ASCII characters, e.g. a UUID");
    }
    return header;
  }
}
