package io.shopstack.objectstore.seed;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the store holds from the first start: one product image per sku in {@code bucket}, so the
 * CDN edges have an origin to fetch {@code /images/course-1001.png} from out of the box.
 */
@ConfigurationProperties("object-store.seed")
public record SeedProperties(String bucket, List<String> skus) {

  public SeedProperties {
    skus = skus == null ? List.of() : List.copyOf(skus);
  }
}
