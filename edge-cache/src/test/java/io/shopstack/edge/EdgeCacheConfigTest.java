package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.edge.origin.OriginRoutes;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped edge-cache.yml describes all three instances of the journey. */
class EdgeCacheConfigTest {
  private static EdgeCacheConfig load(Map<String, String> vars) {
    return ConfigLoader.load(EdgeCacheConfig.class, "classpath:edge-cache.yml", vars);
  }

  private static String routesOf(EdgeCacheConfig config) {
    return config.originRoutes().routes().stream()
        .map(r -> r.prefix() + "=" + r.origin().name())
        .sorted()
        .toList()
        .toString();
  }

  @Test
  void defaultsAreEdgeNorthOnTheLocalAddressPlan() {
    EdgeCacheConfig config = load(Map.of());

    assertThat(config.instance()).isEqualTo("edge-north");
    assertThat(config.bind()).isEqualTo("127.28.1.20");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.adminPort()).isEqualTo(9901);
    assertThat(routesOf(config)).isEqualTo("[/images/=object-store, /products/=dc-cache]");
    assertThat(config.originRoutes().route("/images/a.jpg").get().origin().address())
        .isEqualTo(new java.net.InetSocketAddress("127.28.0.91", 9000));
    assertThat(config.limits().maxRequestBodyBytes()).isEqualTo(1048576);
  }

  @Test
  void theDataCentreCacheSelectsItsRouteSetAndDockerAddresses() {
    EdgeCacheConfig config =
        load(
            Map.of(
                "SHOP_INSTANCE", "dc-cache",
                "SHOP_ROUTES", "datacenter",
                "SHOP_NET", "172",
                "SHOP_HTTP_PORT", "80",
                "SHOP_BIND", "0.0.0.0"));

    assertThat(config.instance()).isEqualTo("dc-cache");
    assertThat(config.port()).isEqualTo(80);
    assertThat(routesOf(config)).isEqualTo("[/products/=shop-slb]");
    assertThat(config.originRoutes().route("/products/1").get().origin().address())
        .isEqualTo(new java.net.InetSocketAddress("172.29.0.2", 80));
  }

  @Test
  void aLiteralRouteListReplacesTheSets() {
    EdgeCacheConfig config = load(Map.of("SHOP_ROUTES", "/a/=127.0.0.1:1, /a/b/=127.0.0.1:2"));

    OriginRoutes routes = config.originRoutes();
    assertThat(routes.route("/a/b/c").get().origin().name()).isEqualTo("127.0.0.1:2");
    assertThat(routes.route("/a/x").get().origin().name()).isEqualTo("127.0.0.1:1");
    assertThat(routes.route("/a/x").get().allowed()).containsExactlyInAnyOrder("GET", "HEAD");
    assertThat(routes.route("/b")).isEmpty();
  }

  @Test
  void aRouteCanNameItsOriginAndAllowMoreMethods() {
    OriginRoutes routes = OriginRoutes.parse("/api/=orders@127.0.0.1:7;allow=GET|HEAD|post");

    OriginRoutes.Route api = routes.route("/api/x").orElseThrow();
    assertThat(api.origin().name()).isEqualTo("orders");
    assertThat(api.allowHeader()).isEqualTo("GET, HEAD, POST");
    assertThatThrownBy(() -> OriginRoutes.parse("/api/=127.0.0.1:7;deny=PUT"))
        .hasMessageContaining("allow=");
  }

  @Test
  void aBrokenRouteIsNamed() {
    EdgeCacheConfig config = load(Map.of("SHOP_ROUTES", "/a/=127.0.0.1:1,products=host"));

    assertThatThrownBy(config::originRoutes)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("products=host");
  }
}
