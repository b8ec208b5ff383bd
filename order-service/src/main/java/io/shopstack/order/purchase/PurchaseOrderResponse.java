package io.shopstack.order.purchase;

import java.time.Instant;

/**
 * The answer to {@code POST} and {@code GET /purchaseOrder}: the order in the request's own shape,
 * with its id, the instance that took it and the client address that instance saw.
 */
record PurchaseOrderResponse(
    long id, OrderForm order, String servedBy, String clientAddress, Instant createdAt) {

  static PurchaseOrderResponse of(PurchaseOrder stored) {
    return new PurchaseOrderResponse(
        stored.id(),
        OrderForm.of(stored.order()),
        stored.servedBy(),
        stored.clientAddress(),
        stored.createdAt());
  }
}
