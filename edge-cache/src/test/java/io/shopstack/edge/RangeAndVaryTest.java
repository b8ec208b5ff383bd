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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Byte ranges cut from a stored whole response, and several Vary variants under one URL. */
class RangeAndVaryTest {
  private static final String DIGITS = "0123456789";
  private OriginFixture origin;
  private EdgeCacheServer edge;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new OriginFixture("origin");
    origin.answer(
        "/products/digits",
        Answer.withHeaders(Map.of("Cache-Control", "max-age=60", "ETag", "\"d1\""), DIGITS));
    edge = new EdgeCacheServer(EdgeConfigs.local("edge-north", origin.route("/products/"))).start();
    client = new EdgeClient(edge.port());
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  @Test
  void aRangeIsCutFromTheStoredResponseOnAMissAndOnAHit() throws Exception {
    HttpResponse<String> miss = client.get("/products/digits", "Range", "bytes=2-4");
    HttpResponse<String> hit = client.get("/products/digits", "Range", "bytes=-3");
    HttpResponse<String> open = client.get("/products/digits", "Range", "bytes=7-");

    assertThat(origin.lastHeaders().containsKey("Range")).isFalse();
    assertThat(miss.statusCode()).isEqualTo(206);
    assertThat(miss.body()).isEqualTo("234");
    assertThat(miss.headers().firstValue("Content-Range")).hasValue("bytes 2-4/10");
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.statusCode()).isEqualTo(206);
    assertThat(hit.body()).isEqualTo("789");
    assertThat(open.body()).isEqualTo("789");
    assertThat(open.headers().firstValue("Content-Range")).hasValue("bytes 7-9/10");
    assertThat(origin.requests("/products/digits")).isEqualTo(1);
  }

  @Test
  void aRangePastTheEndIs416WithTheLength() throws Exception {
    HttpResponse<String> response = client.get("/products/digits", "Range", "bytes=10-20");

    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */10");
  }

  @Test
  void anIfRangeForAnotherVersionGetsTheWholeResponse() throws Exception {
    HttpResponse<String> current =
        client.get("/products/digits", "Range", "bytes=0-1", "If-Range", "\"d1\"");
    HttpResponse<String> outdated =
        client.get("/products/digits", "Range", "bytes=0-1", "If-Range", "\"d0\"");
    HttpResponse<String> malformed = client.get("/products/digits", "Range", "bytes=5-2");

    assertThat(current.statusCode()).isEqualTo(206);
    assertThat(outdated.statusCode()).isEqualTo(200);
    assertThat(outdated.body()).isEqualTo(DIGITS);
    assertThat(malformed.statusCode()).isEqualTo(200);
  }

  @Test
  void severalVariantsOfOneUrlAreKeptSideBySide() throws Exception {
    origin.answer(
        "/products/v",
        Answer.withHeaders(
            Map.of("Cache-Control", "max-age=60", "Vary", "Accept-Encoding, Accept-Language"),
            "variant"));

    client.get("/products/v", "Accept-Encoding", "gzip", "Accept-Language", "zh");
    client.get("/products/v", "Accept-Encoding", "br", "Accept-Language", "zh");
    client.get("/products/v", "Accept-Encoding", "gzip", "Accept-Language", "en");
    HttpResponse<String> first =
        client.get("/products/v", "Accept-Encoding", "gzip", "Accept-Language", "zh");
    HttpResponse<String> second =
        client.get("/products/v", "Accept-Encoding", "br", "Accept-Language", "zh");

    assertThat(xCache(first)).isEqualTo("HIT");
    assertThat(xCache(second)).isEqualTo("HIT");
    assertThat(origin.requests("/products/v")).isEqualTo(3);
    assertThat(edge.cache().entryCount()).isEqualTo(3);
  }

  @Test
  void acceptEncodingIsNormalisedBeforeComparing() throws Exception {
    origin.answer(
        "/products/ae",
        Answer.withHeaders(Map.of("Cache-Control", "max-age=60", "Vary", "accept-encoding"), "x"));

    client.get("/products/ae", "Accept-Encoding", "gzip, br");
    HttpResponse<String> reordered = client.get("/products/ae", "Accept-Encoding", "BR,gzip");
    HttpResponse<String> other = client.get("/products/ae", "Accept-Encoding", "identity");

    assertThat(xCache(reordered)).isEqualTo("HIT");
    assertThat(xCache(other)).isEqualTo("MISS");
  }

  @Test
  void acceptLanguageIsNormalisedBeforeComparing() throws Exception {
    origin.answer(
        "/products/al",
        Answer.withHeaders(Map.of("Cache-Control", "max-age=60", "Vary", "Accept-Language"), "x"));

    client.get("/products/al", "Accept-Language", "en, de");
    HttpResponse<String> reordered = client.get("/products/al", "Accept-Language", "De,  EN");
    HttpResponse<String> weighted = client.get("/products/al", "Accept-Language", "en;q=0.5, de");

    assertThat(xCache(reordered)).isEqualTo("HIT");
    assertThat(xCache(weighted)).isEqualTo("MISS");
  }
}
