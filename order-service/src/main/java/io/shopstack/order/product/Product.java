package io.shopstack.order.product;

import java.math.BigDecimal;

/**
 * One course in the shop's catalog.
 *
 * @param sku the catalog key, also the image name on the CDN ({@code /images/{sku}.png})
 */
public record Product(
    String sku, String title, String author, BigDecimal price, String description) {

  public Product {
    if (sku == null || !sku.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("sku must be lower-case letters, digits and '-': " + sku);
    }
  }
}
