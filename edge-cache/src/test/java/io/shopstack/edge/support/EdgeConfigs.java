package io.shopstack.edge.support;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.edge.EdgeCacheConfig;
import java.util.Map;

/** Test configurations: the real {@code edge-cache.yml}, on 127.0.0.1 with ephemeral ports. */
public final class EdgeConfigs {
  private EdgeConfigs() {}

  public static EdgeCacheConfig local(String instance, String routes) {
    return ConfigLoader.load(
        EdgeCacheConfig.class,
        "classpath:edge-cache.yml",
        Map.of(
            "SHOP_INSTANCE", instance,
            "SHOP_BIND", "127.0.0.1",
            "SHOP_HTTP_PORT", "0",
            "SHOP_ADMIN_PORT", "0",
            "SHOP_ROUTES", routes));
  }

  /** Small limits so tests can cross them cheaply. */
  public static EdgeCacheConfig.Limits smallLimits() {
    return new EdgeCacheConfig.Limits(1024, 2048, 65536, 100, 1 << 20, 500, 400, 5, 600, 50);
  }
}
