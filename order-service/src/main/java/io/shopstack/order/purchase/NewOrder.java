package io.shopstack.order.purchase;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A purchase order that passed validation and is about to be stored. */
record NewOrder(LocalDate date, String className, String author, BigDecimal price) {}
