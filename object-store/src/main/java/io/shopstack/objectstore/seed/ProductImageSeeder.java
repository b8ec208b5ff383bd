package io.shopstack.objectstore.seed;

import io.shopstack.objectstore.storage.BucketStorage;
import io.shopstack.objectstore.storage.ObjectHeaders;
import io.shopstack.objectstore.storage.ObjectStorage;
import io.shopstack.objectstore.system.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Puts one product image per configured sku into the images bucket before the web server opens, so
 * the first edge miss already finds {@code /images/{sku}.png}. Objects that exist are left alone:
 * an operator's replacement image survives restarts.
 */
@Component
class ProductImageSeeder implements SmartInitializingSingleton {

  static final String CACHE_CONTROL = "public, max-age=86400";

  private static final Logger log = LoggerFactory.getLogger(ProductImageSeeder.class);

  private final SeedProperties seed;
  private final BucketStorage buckets;
  private final ObjectStorage objects;

  ProductImageSeeder(SeedProperties seed, BucketStorage buckets, ObjectStorage objects) {
    this.seed = seed;
    this.buckets = buckets;
    this.objects = objects;
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (seed.bucket() == null || seed.skus().isEmpty()) {
      return;
    }
    try {
      if (!buckets.exists(seed.bucket())) {
        buckets.create(seed.bucket());
      }
      for (String sku : seed.skus()) {
        seedImage(sku.trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not seed bucket " + seed.bucket(), e);
    }
  }

  private void seedImage(String sku) throws IOException {
    String key = sku + ".png";
    if (objects.find(seed.bucket(), key).isPresent()) {
      return;
    }
    byte[] png = ProductImage.png(sku);
    ObjectHeaders headers =
        new ObjectHeaders(
            Map.of("Content-Type", "image/png", "Cache-Control", CACHE_CONTROL),
            Map.of("sku", sku));
    try {
      objects.put(seed.bucket(), key, new ByteArrayInputStream(png), png.length, headers);
      log.info("Seeded /{}/{} ({} bytes)", seed.bucket(), key, png.length);
    } catch (S3Exception e) {
      log.warn("Cannot seed sku {}: {}", sku, e.getMessage());
    }
  }
}
