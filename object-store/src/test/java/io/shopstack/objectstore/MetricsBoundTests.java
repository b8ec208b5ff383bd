package io.shopstack.objectstore;

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
  @LocalServerPort int port;
  @LocalManagementPort int adminPort;

  @Test
  void aThousandRandomRequestsAddAHandfulOfSeriesAtMost() {
    RandomRequests.sendAndCheckMetricsStayBounded("object-store", port, adminPort, 1000);
  }
}
