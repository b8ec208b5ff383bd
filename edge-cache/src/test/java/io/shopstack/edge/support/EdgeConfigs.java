package io.shopstack.edge.support;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.edge.EdgeCacheConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Test configurations: the real {@code edge-cache.yml}, on 127.0.0.1 with ephemeral ports. A test
 * that varies a knob sets the file's own variable, so it also proves the variable works.
 */
public final class EdgeConfigs {
  private EdgeConfigs() {}

  public static EdgeCacheConfig local(String instance, String routes) {
    return local(instance, routes, Map.of());
  }

  /** As {@link #local(String, String)}, with more of the file's variables set or overridden. */
  public static EdgeCacheConfig local(
      String instance, String routes, Map<String, String> variables) {
    Map<String, String> all =
        new HashMap<>(
            Map.of(
                "SHOP_INSTANCE", instance,
                "SHOP_BIND", "127.0.0.1",
                "SHOP_HTTP_PORT", "0",
                "SHOP_ADMIN_PORT", "0",
                "SHOP_ROUTES", routes));
    all.putAll(variables);
    return ConfigLoader.load(EdgeCacheConfig.class, "classpath:edge-cache.yml", all);
  }

  /**
   * As {@link #local(String, String)}, with limits small enough for tests to cross cheaply. The
   * limits are the one knob the file does not take from the environment, so only they are swapped.
   */
  public static EdgeCacheConfig localWithSmallLimits(String instance, String routes) {
    return withLimits(
        local(instance, routes),
        new EdgeCacheConfig.Limits(1024, 2048, 65536, 100, 1 << 20, 500, 400, 5, 600, 50, 4, 5));
  }

  /** {@code base} with other limits (a store of a few entries, say). */
  public static EdgeCacheConfig withLimits(EdgeCacheConfig base, EdgeCacheConfig.Limits limits) {
    return new EdgeCacheConfig(
        base.instance(),
        base.bind(),
        base.port(),
        base.adminPort(),
        base.routes(),
        base.routeSets(),
        limits,
        base.shutdownSeconds(),
        base.graceSeconds(),
        base.invalidation(),
        base.rules(),
        base.disk(),
        base.transport());
  }
}
