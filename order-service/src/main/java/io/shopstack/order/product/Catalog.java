package io.shopstack.order.product;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The courses the shop sells ({@code shop.catalog.products} in order-service.yml). A handful of
 * fixed courses needs no table: every instance reads the same list, so any instance behind the SLB
 * renders the same page and the caches may keep any instance's copy.
 */
@ConfigurationProperties("shop.catalog")
public record Catalog(List<Product> products) {

  public Catalog {
    products = products == null ? List.of() : List.copyOf(products);
    Map<String, Product> bySku = new LinkedHashMap<>();
    for (Product product : products) {
      if (bySku.put(product.sku(), product) != null) {
        throw new IllegalArgumentException("sku listed twice in shop.catalog: " + product.sku());
      }
    }
  }

  public Optional<Product> find(String sku) {
    return products.stream().filter(product -> product.sku().equals(sku)).findFirst();
  }
}
