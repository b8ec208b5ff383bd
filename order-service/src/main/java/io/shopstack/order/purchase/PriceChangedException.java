package io.shopstack.order.purchase;

import io.shopstack.order.product.Product;

/**
 * An order whose price is not the catalog's: the page the phone showed is older than a price
 * change, or the price was typed in. Answered with 409 and the current price, so the app can show
 * it and ask again, rather than silently charging another amount than the one agreed.
 */
class PriceChangedException extends RuntimeException {

  private final Product course;

  PriceChangedException(Product course, String sentPrice) {
    super(
        "order.price "
            + sentPrice
            + " is not the price of "
            + course.title()
            + ": it costs "
            + OrderForm.priceText(course.price()));
    this.course = course;
  }

  Product course() {
    return course;
  }
}
