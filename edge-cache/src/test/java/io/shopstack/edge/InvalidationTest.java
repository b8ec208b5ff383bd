package io.shopstack.edge;

import static io.shopstack.edge.support.EdgeClient.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.edge.support.EdgeClient;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PURGE and BAN as an operator sends them, and as a stranger tries them. */
class InvalidationTest {
  private OriginFixture origin;
  private EdgeCacheServer edge;
  private EdgeClient client;

  /** Starts an edge whose invalidation access is set as an operator sets it: by variables. */
  private void start(Map<String, String> who) throws Exception {
    origin = new OriginFixture("origin");
    edge =
        new EdgeCacheServer(EdgeConfigs.local("edge-north", origin.route("/products/"), who))
            .start();
    client = new EdgeClient(edge.port());
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  private void tagged(String path, String keys) {
    origin.answer(
        path,
        Answer.withHeaders(Map.of("Cache-Control", "max-age=600", "Surrogate-Key", keys), path));
  }

  @Test
  void purgeRemovesEveryVariantOfOneUrlAndNothingElse() throws Exception {
    start(Map.of()); // the shipped default: 127.0.0.1 only, no token
    origin.answer(
        "/products/v",
        Answer.withHeaders(Map.of("Cache-Control", "max-age=600", "Vary", "Accept-Language"), "v"));
    client.get("/products/v", "Accept-Language", "zh");
    client.get("/products/v", "Accept-Language", "en");
    client.get("/products/other");

    HttpResponse<String> purged = client.send("PURGE", "/products/v");

    assertThat(purged.statusCode()).isEqualTo(200);
    assertThat(purged.body()).contains("purged 2");
    assertThat(xCache(client.get("/products/v", "Accept-Language", "zh"))).isEqualTo("MISS");
    assertThat(xCache(client.get("/products/other"))).isEqualTo("HIT");
    assertThat(origin.lastMethod()).isEqualTo("GET"); // the PURGE itself never went there
  }

  @Test
  void banBySurrogateKeyAndByUrlPattern() throws Exception {
    start(Map.of()); // the shipped default: 127.0.0.1 only, no token
    tagged("/products/42", "product-42 catalogue");
    tagged("/products/42/reviews", "product-42");
    tagged("/products/7", "product-7 catalogue");
    client.get("/products/42");
    client.get("/products/42/reviews");
    client.get("/products/7");

    HttpResponse<String> byKey = client.send("BAN", "/", "Surrogate-Key", "product-42");

    assertThat(byKey.body()).contains("banned 2");
    assertThat(xCache(client.get("/products/42"))).isEqualTo("MISS");
    assertThat(xCache(client.get("/products/7"))).isEqualTo("HIT");

    HttpResponse<String> byUrl = client.send("BAN", "/", "Ban-Url", "^/products/[0-9]+$");

    assertThat(byUrl.body()).contains("banned 2");
    assertThat(xCache(client.get("/products/7"))).isEqualTo("MISS");
    assertThat(client.send("BAN", "/", "Ban-Url", "([").statusCode()).isEqualTo(400);
  }

  @Test
  void strangersGet403AndTheTokenOpensTheDoor() throws Exception {
    start(Map.of("SHOP_PURGE_TOKEN", "s3cret", "SHOP_PURGE_FROM", "127.0.0.2"));
    client.get("/products/1");

    HttpResponse<String> stranger = client.send("PURGE", "/products/1");
    HttpResponse<String> wrongToken = client.send("PURGE", "/products/1", "X-Purge-Token", "guess");
    assertThat(xCache(client.get("/products/1"))).isEqualTo("HIT");
    HttpResponse<String> operator = client.send("PURGE", "/products/1", "X-Purge-Token", "s3cret");

    assertThat(stranger.statusCode()).isEqualTo(403);
    assertThat(stranger.body()).contains("PURGE is not allowed from 127.0.0.1");
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(operator.statusCode()).isEqualTo(200);
    assertThat(xCache(client.get("/products/1"))).isEqualTo("MISS");
  }
}
