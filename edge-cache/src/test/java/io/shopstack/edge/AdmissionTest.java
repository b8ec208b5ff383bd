package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.MetricsScrape;
import io.shopstack.edge.support.EdgeClient;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store as a crawler meets it: a stream of URLs each asked for once must not push out the pages
 * real users keep asking for (W-TinyLFU admission), and the evictions show in /metrics.
 */
class AdmissionTest {
  /** The store holds this many small responses (maxCacheBytes / maxEntries each). */
  private static final int CAPACITY = 50;

  private static final int HOT = 20;

  private OriginFixture origin;
  private EdgeCacheServer edge;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new OriginFixture("origin");
    EdgeCacheConfig base = EdgeConfigs.local("edge-north", origin.route("/"));
    edge =
        new EdgeCacheServer(
                EdgeConfigs.withLimits(
                    base,
                    new EdgeCacheConfig.Limits(
                        1024,
                        65536,
                        65536,
                        CAPACITY,
                        CAPACITY * 8192L,
                        500,
                        2000,
                        5,
                        2000,
                        50,
                        4,
                        5)))
            .start();
    client = new EdgeClient(edge.port());
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  @Test
  void aCrawlOfOneTimeUrlsLeavesTheHotPagesCached() throws Exception {
    int scan = 800;
    // A hot page comes round again only after 100 one-time URLs: twice what the store holds, so
    // an LRU would have dropped every hot page before it was asked for again.
    for (int i = 0; i < scan; i++) {
      if (i % 5 == 0) {
        assertThat(client.get("/hot/" + (i / 5) % HOT).statusCode()).isEqualTo(200);
      }
      assertThat(client.get("/crawl/" + i).statusCode()).isEqualTo(200);
    }
    int fetchesBefore = origin.requests();

    for (int i = 0; i < HOT; i++) {
      assertThat(EdgeClient.xCache(client.get("/hot/" + i))).as("/hot/" + i).isEqualTo("HIT");
    }

    assertThat(origin.requests()).isEqualTo(fetchesBefore);
    MetricsScrape metrics = MetricsScrape.of(edge.adminPort());
    assertThat(metrics.value("edge_cache_evictions_total", Map.of()))
        .isGreaterThanOrEqualTo(scan - CAPACITY);
    assertThat(metrics.value("edge_cache_entries", Map.of())).isLessThanOrEqualTo(CAPACITY);
  }
}
