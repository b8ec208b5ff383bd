package io.shopstack.order.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The shop's own settings ({@code shop.*} in order-service.yml).
 *
 * @param instance the name this instance answers with in {@code X-Served-By} and stores with every
 *     order, e.g. {@code order-1}
 * @param staticBaseUrl where product pages point images: the CDN name {@code static.shop.example},
 *     never this instance, so the browser fetches pictures from the nearest edge
 * @param maxRequestBody the largest request body accepted; anything larger gets 413
 */
@ConfigurationProperties("shop")
public record ShopProperties(String instance, String staticBaseUrl, DataSize maxRequestBody) {

  public ShopProperties {
    if (instance == null || instance.isBlank()) {
      throw new IllegalArgumentException("shop.instance must be set");
    }
    if (staticBaseUrl == null || staticBaseUrl.isBlank()) {
      throw new IllegalArgumentException("shop.static-base-url must be set");
    }
    staticBaseUrl = staticBaseUrl.replaceAll("/+$", "");
    maxRequestBody = maxRequestBody == null ? DataSize.ofKilobytes(64) : maxRequestBody;
  }
}
