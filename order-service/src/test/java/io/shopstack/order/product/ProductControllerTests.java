package io.shopstack.order.product;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.order.OrderServiceApplication;
import io.shopstack.order.system.ShopProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The product page with Docker's static base URL, and what it does with hostile input. */
@WebMvcTest(
    controllers = ProductController.class,
    properties = {
      OrderServiceApplication.CONFIG,
      "shop.static-base-url=http://static.shop.example/"
    })
@EnableConfigurationProperties({Catalog.class, ShopProperties.class})
class ProductControllerTests {

  @Autowired MockMvcTester mvc;

  @Test
  void theImagePointsAtTheCdnNameFromConfiguration() {
    assertThat(mvc.get().uri("/products/course-1001"))
        .hasStatus(HttpStatus.OK)
        .hasHeader("Cache-Control", "public, max-age=60")
        .bodyText()
        .contains("<img src=\"http://static.shop.example/images/course-1001.png\"");
  }

  @Test
  void anUnknownSkuIsEscapedInTheNotFoundPage() {
    assertThat(mvc.get().uri("/products/{sku}", "<img src=x onerror=alert(1)>"))
        .hasStatus(HttpStatus.NOT_FOUND)
        .bodyText()
        .contains("&lt;img src=x onerror=alert(1)&gt;")
        .doesNotContain("<img");
  }
}
