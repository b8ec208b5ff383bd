package io.shopstack.order.purchase;

import java.util.List;

/**
 * One page of {@code GET /purchaseOrder}: the orders, newest first, and the link to the next page
 * (absent on the last one).
 */
record OrderPage(List<PurchaseOrderResponse> orders, String next) {}
