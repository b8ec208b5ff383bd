package io.shopstack.order.product;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One course in the shop's catalog (table {@code product}).
 *
 * @param sku the catalog key, also the image name on the CDN ({@code /images/{sku}.png})
 * @param title what an order calls the course ({@code className} in the contract)
 * @param updatedAt when the row last changed: the page's {@code Last-Modified}
 */
public record Product(
    String sku,
    String title,
    String author,
    BigDecimal price,
    String description,
    Instant updatedAt) {}
