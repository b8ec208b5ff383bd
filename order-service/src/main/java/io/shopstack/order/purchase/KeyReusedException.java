package io.shopstack.order.purchase;

/**
 * An {@code Idempotency-Key} that already placed a different order: the client reused a key for a
 * new purchase, or changed the body of a retry. Answered with 422, placing nothing.
 */
class KeyReusedException extends RuntimeException {

  private final long orderId;

  KeyReusedException(long orderId) {
    super("Idempotency-Key was already used for purchase order " + orderId + " with another body");
    this.orderId = orderId;
  }

  long orderId() {
    return orderId;
  }
}
