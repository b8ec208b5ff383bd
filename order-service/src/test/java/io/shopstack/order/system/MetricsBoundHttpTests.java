package io.shopstack.order.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.MetricsScrape;
import io.shopstack.common.testing.RandomRequests;
import io.shopstack.order.ShopHttpTest;
import org.junit.jupiter.api.Test;

/**
 * Random paths and methods must not become labels: Spring's http.server.requests tags the URI
 * template, an unmapped path as NOT_FOUND and an unknown method as UNKNOWN; the shop's own counter
 * has no labels but the instance.
 */
class MetricsBoundHttpTests extends ShopHttpTest {
  @Test
  void aThousandRandomRequestsAddAHandfulOfSeriesAtMost() {
    MetricsScrape after =
        RandomRequests.sendAndCheckMetricsStayBounded("order-service", port, adminPort, 1000);
    assertThat(after.samples("shop_orders_placed_total"))
        .allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("instance"));
  }
}
