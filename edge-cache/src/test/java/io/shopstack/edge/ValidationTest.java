package io.shopstack.edge;

import static io.shopstack.edge.support.EdgeClient.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.edge.support.EdgeClient;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import io.shopstack.edge.support.TestClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Validation both ways (RFC 9111 4.3): a stale entry is revalidated with its validators and a 304
 * refreshes it, and a client's own conditional request is answered 304 by the cache.
 */
class ValidationTest {
  private static final String LAST_MODIFIED = "Tue, 01 Jul 2025 10:00:00 GMT";
  private final TestClock clock = new TestClock();
  private OriginFixture origin;
  private EdgeCacheServer edge;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new OriginFixture("origin");
    edge =
        new EdgeCacheServer(EdgeConfigs.local("edge-north", origin.route("/products/")), clock)
            .start();
    client = new EdgeClient(edge.port());
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  private void page(String path, String cacheControl, String etag, String body) {
    origin.answer(
        path,
        Answer.withHeaders(
            etag == null
                ? Map.of("Cache-Control", cacheControl, "Last-Modified", LAST_MODIFIED)
                : Map.of("Cache-Control", cacheControl, "ETag", etag),
            body));
  }

  @Test
  void aStaleEntryIsRevalidatedWithItsETagAndA304RefreshesIt() throws Exception {
    page("/products/v", "max-age=10", "\"v1\"", "version one");
    client.get("/products/v");
    clock.advance(Duration.ofSeconds(11));
    // The test clock now runs 11 s ahead of the origin's Date, so a refreshed entry needs a
    // lifetime longer than that to count as fresh here.
    page("/products/v", "max-age=100", "\"v1\"", "never sent");

    HttpResponse<String> revalidated = client.get("/products/v");
    HttpResponse<String> after = client.get("/products/v");

    assertThat(origin.lastHeaders().getFirst("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(origin.notModified()).isEqualTo(1);
    assertThat(revalidated.statusCode()).isEqualTo(200);
    assertThat(xCache(revalidated)).isEqualTo("REVALIDATED");
    assertThat(revalidated.body()).isEqualTo("version one");
    assertThat(xCache(after)).isEqualTo("HIT");
    assertThat(origin.requests("/products/v")).isEqualTo(2);
  }

  @Test
  void lastModifiedIsSentAsIfModifiedSince() throws Exception {
    page("/products/lm", "max-age=10", null, "dated");
    client.get("/products/lm");
    clock.advance(Duration.ofSeconds(11));

    HttpResponse<String> revalidated = client.get("/products/lm");

    assertThat(origin.lastHeaders().getFirst("If-Modified-Since")).isEqualTo(LAST_MODIFIED);
    assertThat(xCache(revalidated)).isEqualTo("REVALIDATED");
    assertThat(revalidated.body()).isEqualTo("dated");
  }

  @Test
  void theHeadersOfThe304ReplaceTheStoredOnes() throws Exception {
    page("/products/h", "max-age=10", "\"same\"", "body stays");
    client.get("/products/h");
    clock.advance(Duration.ofSeconds(11));
    origin.answer(
        "/products/h",
        Answer.withHeaders(
            Map.of("Cache-Control", "max-age=100", "ETag", "\"same\"", "X-Version", "2"),
            "never sent"));

    HttpResponse<String> revalidated = client.get("/products/h");
    clock.advance(Duration.ofSeconds(50)); // fresh under the new max-age, not the old one
    HttpResponse<String> hit = client.get("/products/h");

    assertThat(revalidated.body()).isEqualTo("body stays");
    assertThat(revalidated.headers().firstValue("X-Version")).hasValue("2");
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.headers().firstValue("Cache-Control")).hasValue("max-age=100");
  }

  @Test
  void aChangedResponseReplacesTheStaleOne() throws Exception {
    page("/products/c", "max-age=10", "\"v1\"", "old");
    client.get("/products/c");
    clock.advance(Duration.ofSeconds(11));
    page("/products/c", "max-age=100", "\"v2\"", "new");

    HttpResponse<String> refetched = client.get("/products/c");

    assertThat(refetched.body()).isEqualTo("new");
    assertThat(xCache(refetched)).isEqualTo("MISS");
    assertThat(xCache(client.get("/products/c"))).isEqualTo("HIT");
  }

  @Test
  void noCacheResponsesAreStoredButValidatedOnEveryUse() throws Exception {
    page("/products/nc", "no-cache", "\"nc\"", "check me");
    client.get("/products/nc");

    HttpResponse<String> second = client.get("/products/nc");

    assertThat(xCache(second)).isEqualTo("REVALIDATED");
    assertThat(second.body()).isEqualTo("check me");
    assertThat(origin.notModified()).isEqualTo(1);
  }

  @Test
  void aClientsIfNoneMatchIsAnswered304FromTheCache() throws Exception {
    page("/products/inm", "max-age=60", "\"abc\"", "payload");
    client.get("/products/inm");

    HttpResponse<String> matching =
        client.get("/products/inm", "If-None-Match", "W/\"x\", \"abc\"");
    HttpResponse<String> other = client.get("/products/inm", "If-None-Match", "\"zzz\"");

    assertThat(matching.statusCode()).isEqualTo(304);
    assertThat(matching.body()).isEmpty();
    assertThat(matching.headers().firstValue("ETag")).hasValue("\"abc\"");
    assertThat(matching.headers().firstValue("Cache-Control")).hasValue("max-age=60");
    assertThat(xCache(matching)).isEqualTo("HIT");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.body()).isEqualTo("payload");
    assertThat(origin.requests("/products/inm")).isEqualTo(1);
  }

  @Test
  void aClientsIfModifiedSinceIsAnswered304AndAMissFetchesWithoutIt() throws Exception {
    page("/products/ims", "max-age=60", null, "dated page");

    HttpResponse<String> miss =
        client.get("/products/ims", "If-Modified-Since", "Wed, 02 Jul 2025 10:00:00 GMT");
    HttpResponse<String> older =
        client.get("/products/ims", "If-Modified-Since", "Mon, 30 Jun 2025 10:00:00 GMT");

    // The fill asked for the whole response, so the cache has it for everyone...
    assertThat(origin.lastHeaders().containsKey("If-Modified-Since")).isFalse();
    // ...and this client still gets its 304.
    assertThat(miss.statusCode()).isEqualTo(304);
    assertThat(xCache(miss)).isEqualTo("MISS");
    assertThat(older.statusCode()).isEqualTo(200);
    assertThat(older.body()).isEqualTo("dated page");
  }

  @Test
  void aClientsNoCacheMakesTheCacheAskTheOrigin() throws Exception {
    page("/products/force", "max-age=60", "\"f\"", "forced");
    client.get("/products/force");

    HttpResponse<String> forced = client.get("/products/force", "Cache-Control", "no-cache");

    assertThat(xCache(forced)).isEqualTo("REVALIDATED");
    assertThat(origin.notModified()).isEqualTo(1);
  }

  @Test
  void a304UpdatesStoredHeadersButNotThoseThatDescribeTheStoredBody() throws Exception {
    Map<String, String> first =
        Map.of(
            "Cache-Control",
            "max-age=10",
            "ETag",
            "\"m\"",
            "Content-MD5",
            "rL0Y20zC+Fzt72VPzMSk2A==",
            "X-Version",
            "1");
    origin.answer("/products/md5", Answer.withHeaders(first, "body"));
    client.get("/products/md5");
    clock.advance(Duration.ofSeconds(11));
    Map<String, String> second =
        Map.of(
            "Cache-Control",
            "max-age=100",
            "ETag",
            "\"m\"",
            "Content-MD5",
            "N7UdGUp1E+RbVvZSTy1R8g==",
            "X-Version",
            "2");
    origin.answer("/products/md5", Answer.withHeaders(second, "never sent"));

    HttpResponse<String> revalidated = client.get("/products/md5");

    assertThat(xCache(revalidated)).isEqualTo("REVALIDATED");
    assertThat(revalidated.headers().firstValue("X-Version")).hasValue("2");
    // The stored body is the first one: its digest must stay the first one's.
    assertThat(revalidated.headers().firstValue("Content-MD5"))
        .hasValue("rL0Y20zC+Fzt72VPzMSk2A==");
    assertThat(revalidated.body()).isEqualTo("body");
  }
}
