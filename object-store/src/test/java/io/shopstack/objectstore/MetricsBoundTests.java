package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.MetricsScrape;
import io.shopstack.common.testing.RandomRequests;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Random buckets, keys and methods must not become labels: Spring's http.server.requests tags the
 * URI template ({@code /{bucket}/{*key}}), not the path, and an unknown method as UNKNOWN.
 */
@ObjectStoreTest
class MetricsBoundTests {
  private static final String REQUESTS = "http_server_requests_seconds_count";

  @LocalServerPort int port;
  @LocalManagementPort int adminPort;

  @Test
  void aThousandRandomRequestsAddAHandfulOfSeriesAtMost() {
    MetricsScrape before = MetricsScrape.of(adminPort);

    var statuses = RandomRequests.send(port, 1000);

    MetricsScrape after = MetricsScrape.of(adminPort);
    System.out.printf(
        "object-store: statuses %s; http.server.requests series %d -> %d; all series %d -> %d%n",
        statuses,
        before.samples(REQUESTS).size(),
        after.samples(REQUESTS).size(),
        before.seriesCount(),
        after.seriesCount());
    assertThat(after.samples(REQUESTS).size() - before.samples(REQUESTS).size()).isLessThan(20);
    assertThat(after.seriesCount() - before.seriesCount()).isLessThan(100);
    assertThat(after.text()).doesNotContain(RandomRequests.MARKER);
  }
}
