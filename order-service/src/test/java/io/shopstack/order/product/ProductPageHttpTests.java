package io.shopstack.order.product;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.Curl;
import io.shopstack.order.Courses;
import io.shopstack.order.ShopHttpTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The product pages as the data-centre cache fetches them: HTML, cacheable, revalidatable. */
class ProductPageHttpTests extends ShopHttpTest {

  /** The seed's courses were last changed at this instant (db/migration V4). */
  private static final String SEED_LAST_MODIFIED = "Sun, 01 Jul 2018 00:00:00 GMT";

  @Autowired JdbcClient jdbc;

  @Test
  void productPageIsCacheableHtmlWhoseImageLivesOnTheCdn() {
    HttpResponse<String> page = send(request(shop("/products/course-1001")).build());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow())
        .matches("(?i)text/html; ?charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
    assertThat(page.headers().firstValue("ETag").orElseThrow()).matches("\"[0-9a-f]+\"");
    assertThat(page.headers().firstValue("Last-Modified")).hasValue(SEED_LAST_MODIFIED);
    assertThat(page.headers().firstValue("X-Served-By")).hasValue(INSTANCE);
    // The local default; in Docker SHOP_HTTP_PORT=80 makes it http://static.shop.example:80
    assertThat(page.body())
        .contains("<img src=\"http://static.shop.example:8080/images/course-1001.png\"")
        .contains("<h1>趣谈网络协议</h1>", "刘超", "¥68");
  }

  @Test
  void revalidationWithTheEtagIs304WithoutABody() {
    HttpResponse<String> first = send(request(shop("/products/course-1001")).build());
    String etag = first.headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> again =
        send(request(shop("/products/course-1001")).header("If-None-Match", etag).build());

    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).hasValue(etag);
    assertThat(again.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
    assertThat(again.headers().firstValue("Last-Modified")).hasValue(SEED_LAST_MODIFIED);
  }

  /** curl's own {@code -z DATE} (If-Modified-Since) and {@code --etag-compare}, not ours. */
  @Test
  void curlRevalidatingByDateOrByEtagGets304() throws Exception {
    String url = shop("/products/course-1001").toString();
    Curl.Response byDate = Curl.run("-z", SEED_LAST_MODIFIED, url);
    Curl.Response olderCopy = Curl.run("-z", "Sat, 30 Jun 2018 00:00:00 GMT", url);
    String etag =
        send(request(shop("/products/course-1001")).build())
            .headers()
            .firstValue("ETag")
            .orElseThrow();
    Path etagFile = Files.createTempFile("etag", ".txt");
    Files.writeString(etagFile, etag + "\n");
    Curl.Response byEtag = Curl.run("--etag-compare", etagFile.toString(), url);

    assertThat(byDate.status()).as(byDate.raw()).isEqualTo(304);
    assertThat(byDate.body()).isEmpty();
    assertThat(olderCopy.status()).isEqualTo(200);
    assertThat(byEtag.status()).as(byEtag.raw()).isEqualTo(304);
  }

  @Test
  void aPriceChangeGivesANewEtagAndLastModifiedSoCachesFetchTheNewPage() {
    String sku = Courses.sell(jdbc, "改价-" + System.nanoTime(), "刘超", "68");
    HttpResponse<String> before = send(request(shop("/products/" + sku)).build());
    Instant changed = Instant.parse("2030-01-02T03:04:05Z");

    Courses.reprice(jdbc, sku, "72", changed);

    HttpResponse<String> revalidated =
        send(
            request(shop("/products/" + sku))
                .header("If-None-Match", before.headers().firstValue("ETag").orElseThrow())
                .header(
                    "If-Modified-Since", before.headers().firstValue("Last-Modified").orElseThrow())
                .build());
    assertThat(revalidated.statusCode()).isEqualTo(200);
    assertThat(revalidated.body()).contains("¥72");
    assertThat(revalidated.headers().firstValue("ETag"))
        .isNotEqualTo(before.headers().firstValue("ETag"));
    assertThat(revalidated.headers().firstValue("Last-Modified"))
        .hasValue("Wed, 02 Jan 2030 03:04:05 GMT");
  }

  @Test
  void anUnknownSkuIsEscapedInTheNotFoundPage() {
    HttpResponse<String> page =
        send(request(shop("/products/%3Cimg%20src=x%20onerror=alert(1)%3E")).build());

    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img");
  }

  @Test
  void headGetsTheHeadersOfGetWithoutTheBody() {
    HttpResponse<String> get = send(request(shop("/products/course-1001")).build());
    HttpResponse<String> head =
        send(
            request(shop("/products/course-1001"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));
    assertThat(head.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
  }

  @Test
  void eachCourseHasItsOwnPageAndEtag() {
    HttpResponse<String> one = send(request(shop("/products/course-1001")).build());
    HttpResponse<String> two = send(request(shop("/products/course-1002")).build());

    assertThat(two.statusCode()).isEqualTo(200);
    assertThat(two.body()).contains("/images/course-1002.png");
    assertThat(two.headers().firstValue("ETag")).isNotEqualTo(one.headers().firstValue("ETag"));
  }

  @Test
  void unknownSkuIs404Html() {
    HttpResponse<String> page = send(request(shop("/products/course-9999")).build());

    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(page.body()).contains("<h1>Not found</h1>", "course-9999");
  }

  @Test
  void listingNamesEveryCourse() {
    HttpResponse<String> listing = send(request(shop("/products")).build());

    assertThat(listing.statusCode()).isEqualTo(200);
    assertThat(json(listing).findValuesAsString("sku"))
        .contains("course-1001", "course-1002", "course-1003");
  }
}
