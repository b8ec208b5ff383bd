package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.MetricsScrape;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * /metrics must not grow with what clients send or origins answer: a scraper stores every series it
 * ever saw, so a label taken from the wire is a memory leak in the monitoring system.
 */
class EdgeMetricsBoundTest {
  private static final int REQUESTS = 400;

  @Test
  void everyStatusAndPathLandsInAClosedSetOfSeries() throws Exception {
    try (OriginFixture origin = new OriginFixture("origin");
        EdgeCacheServer edge =
            new EdgeCacheServer(EdgeConfigs.local("edge-bounded", origin.route("/products/")))
                .start()) {
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < REQUESTS; i++) {
        // Every status an origin could send, 200 to 999, and paths no route knows.
        int status = 200 + (i * 7) % 800;
        String path =
            i % 4 == 0 ? "/random/" + UUID.randomUUID() : "/products/" + UUID.randomUUID();
        origin.answer(
            path, new Answer(status, Map.of(), "x".getBytes(StandardCharsets.US_ASCII), 0));
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      }

      MetricsScrape scrape = MetricsScrape.of(edge.adminPort());
      var requests = scrape.samples("edge_requests_total");
      Set<String> statuses =
          requests.stream().map(s -> s.labels().get("status")).collect(Collectors.toSet());

      assertThat(statuses).isSubsetOf("1xx", "2xx", "3xx", "4xx", "5xx", "other");
      assertThat(statuses).contains("2xx", "4xx", "5xx", "other");
      assertThat(requests.stream().mapToDouble(MetricsScrape.Sample::value).sum())
          .isEqualTo(REQUESTS);
      // 4 results x 6 status classes at most, whatever the traffic was.
      assertThat(requests).hasSizeLessThanOrEqualTo(24);
      assertThat(scrape.seriesCount()).isLessThan(100);
    }
  }
}
