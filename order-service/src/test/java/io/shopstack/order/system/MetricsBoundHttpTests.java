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
  private static final String REQUESTS = "http_server_requests_seconds_count";

  @Test
  void aThousandRandomRequestsAddAHandfulOfSeriesAtMost() {
    MetricsScrape before = MetricsScrape.of(adminPort);

    var statuses = RandomRequests.send(port, 1000);

    MetricsScrape after = MetricsScrape.of(adminPort);
    System.out.printf(
        "order-service: statuses %s; http.server.requests series %d -> %d; all series %d -> %d%n",
        statuses,
        before.samples(REQUESTS).size(),
        after.samples(REQUESTS).size(),
        before.seriesCount(),
        after.seriesCount());
    assertThat(after.samples(REQUESTS).size() - before.samples(REQUESTS).size()).isLessThan(20);
    assertThat(after.seriesCount() - before.seriesCount()).isLessThan(100);
    assertThat(after.text()).doesNotContain(RandomRequests.MARKER);
    assertThat(after.samples("shop_orders_placed_total"))
        .allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("instance"));
  }
}
