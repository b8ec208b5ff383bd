package io.shopstack.order.purchase;

/** The body of {@code POST /purchaseOrder}: {@code {"order": {...}}}. */
record PurchaseOrderRequest(OrderForm order) {}
