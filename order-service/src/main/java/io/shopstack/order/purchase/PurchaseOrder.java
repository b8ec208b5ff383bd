package io.shopstack.order.purchase;

import java.time.Instant;

/**
 * A stored purchase order: what the client sent, plus which instance took it and from which
 * address. Behind the SLB that address is the client's own, carried by the PROXY protocol.
 */
record PurchaseOrder(
    long id, NewOrder order, String servedBy, String clientAddress, Instant createdAt) {}
