package io.shopstack.client.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ProductPageTest {
  private static final URI PAGE =
      URI.create("http://static.shop.example:8080/products/course-1001");

  @Test
  void findsEveryImgSourceQuotedEitherWayOrBare() {
    String html =
        """
        <html><body>
          <h1>趣谈网络协议</h1>
          <img src="http://static.shop.example:8080/images/course-1001.png" alt="cover">
          <IMG class="thumb" SRC='http://static.shop.example:8080/images/course-1001-back.png'/>
          <img alt=x src=http://static.shop.example:8080/images/author.png>
        </body></html>
        """;

    assertThat(ProductPage.imageUrls(html, PAGE))
        .extracting(URI::toString)
        .containsExactly(
            "http://static.shop.example:8080/images/course-1001.png",
            "http://static.shop.example:8080/images/course-1001-back.png",
            "http://static.shop.example:8080/images/author.png");
  }

  @Test
  void resolvesRelativeSourcesAgainstThePageAndDropsDuplicates() {
    String html =
        "<img src=\"/images/a.png\"><img src=\"b.png\"><img src=\"/images/a.png\">"
            + "<img src=\"/images/c.png?size=large&amp;v=2\">";

    assertThat(ProductPage.imageUrls(html, PAGE))
        .extracting(URI::toString)
        .containsExactly(
            "http://static.shop.example:8080/images/a.png",
            "http://static.shop.example:8080/products/b.png",
            "http://static.shop.example:8080/images/c.png?size=large&v=2");
  }

  @Test
  void ignoresWhatIsNotAnImageToFetch() {
    String html =
        "<img data-src=\"/lazy.png\"><image src=\"/svg.png\"><img src=\"data:image/png;base64,AAAA\">"
            + "<a href=\"/images/x.png\">x</a><img src=\"\">";

    assertThat(ProductPage.imageUrls(html, PAGE)).isEmpty();
  }
}
