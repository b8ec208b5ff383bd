package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.edge.support.EdgeClient;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How large a request head and an origin's response head may be, next to Varnish 7.1 and nginx:
 * what they pass must pass here too, and beyond their limits the answer is 414 or 431.
 */
class RequestHeadLimitsTest {
  private OriginFixture origin;
  private EdgeCacheServer edge;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new OriginFixture("origin");
    edge = new EdgeCacheServer(EdgeConfigs.local("edge-north", origin.route("/"))).start();
    client = new EdgeClient(edge.port());
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  @Test
  void aFiveKilobyteQueryStringPassesAsItDoesThroughVarnishAndNginx() throws Exception {
    String query = "q=" + "a".repeat(5000);
    origin.answer("/search", Answer.cacheable(60, "results"));

    HttpResponse<String> response = client.get("/search?" + query);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("results");
  }

  @Test
  void aRequestLineOverEightKilobytesIs414() throws Exception {
    assertThat(client.get("/search?q=" + "a".repeat(9000)).statusCode()).isEqualTo(414);
  }

  @Test
  void twelveKilobytesOfCookiesReachTheOrigin() throws Exception {
    origin.answer("/account", Answer.withHeaders(Map.of("Cache-Control", "private"), "yours"));
    String cookie = "c".repeat(4000);

    HttpResponse<String> response =
        client.get("/account", "Cookie", "a=" + cookie, "Cookie", "b=" + cookie, "X-More", cookie);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(origin.lastHeaders().getFirst("X-More")).isEqualTo(cookie);
  }

  @Test
  void aHeadOverThirtyTwoKilobytesIs431() throws Exception {
    String big = "b".repeat(9000);

    HttpResponse<String> response =
        client.get("/account", "X-A", big, "X-B", big, "X-C", big, "X-D", big);

    assertThat(response.statusCode()).isEqualTo(431);
  }

  @Test
  void anOriginHeadOfTwentyKilobytesIsRelayedNot502() throws Exception {
    String policy = ("default-src 'self' " + "https://cdn.example/x ".repeat(900)).trim();
    origin.answer(
        "/csp",
        Answer.withHeaders(
            Map.of("Cache-Control", "max-age=60", "Content-Security-Policy", policy), "page"));

    HttpResponse<String> response = client.get("/csp");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Security-Policy")).contains(policy);
  }
}
