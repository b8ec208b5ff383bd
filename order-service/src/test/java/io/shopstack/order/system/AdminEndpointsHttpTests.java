package io.shopstack.order.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.order.ShopHttpTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** /health and /metrics on the admin port, where every service of the stack has them. */
class AdminEndpointsHttpTests extends ShopHttpTest {

  @Test
  void healthIsUpOnTheAdminPort() {
    HttpResponse<String> health = send(request(admin("/health")).build());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).get("status").asString()).isEqualTo("UP");
  }

  @Test
  void metricsArePrometheusTextTaggedWithTheInstance() {
    send(request(shop("/products/course-1001")).build());

    HttpResponse<String> metrics = send(request(admin("/metrics")).build());

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("# TYPE shop_orders_placed_total counter")
        .containsPattern(
            "http_server_requests_seconds_count\\{[^}]*instance=\"order-test\"[^}]*"
                + "uri=\"/products/\\{sku}\"[^}]*} \\d+");
  }

  @Test
  void adminEndpointsAreNotOnThePublicPort() {
    assertThat(send(request(shop("/health")).build()).statusCode()).isEqualTo(404);
    assertThat(send(request(shop("/metrics")).build()).statusCode()).isEqualTo(404);
  }
}
