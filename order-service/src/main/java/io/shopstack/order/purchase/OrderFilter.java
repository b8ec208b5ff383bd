package io.shopstack.order.purchase;

import java.time.LocalDate;

/** What {@code GET /purchaseOrder} narrows the listing to; a null field does not filter. */
record OrderFilter(String servedBy, String className, String author, LocalDate date) {}
