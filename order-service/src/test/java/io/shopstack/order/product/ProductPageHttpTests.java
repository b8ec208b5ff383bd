package io.shopstack.order.product;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.order.ShopHttpTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The product pages as the data-centre cache fetches them: HTML, cacheable, revalidatable. */
class ProductPageHttpTests extends ShopHttpTest {

  @Test
  void productPageIsCacheableHtmlWhoseImageLivesOnTheCdn() {
    HttpResponse<String> page = send(request(shop("/products/course-1001")).build());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow())
        .matches("(?i)text/html; ?charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
    assertThat(page.headers().firstValue("ETag").orElseThrow()).matches("\"[0-9a-f]+\"");
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
