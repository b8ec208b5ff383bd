package io.shopstack.client.journey;

/**
 * What the shop answered to the purchase.
 *
 * @param status HTTP status (201 when the order was created)
 * @param location the new order's URL from the {@code Location} header, or null
 * @param orderId the last path segment of {@code location}, or null
 * @param servedBy the order-service instance that handled it ({@code X-Served-By})
 * @param body the JSON the shop returned, as text
 */
public record OrderResult(
    int status, String location, String orderId, String servedBy, String body) {}
