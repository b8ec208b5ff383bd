package io.shopstack.order.product;

import io.shopstack.order.system.ShopProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The product pages the app looks at before buying. They are fetched through the CDN edge and the
 * data-centre cache, so the answers say how long shared caches may keep them ({@code
 * Cache-Control}) and carry an ETag and a Last-Modified for revalidation; the images they point at
 * live on the CDN name, not here.
 */
@RestController
class ProductController {

  static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

  /** Short enough that a price change reaches every edge within a minute. */
  static final String PAGE_CACHE_CONTROL = "public, max-age=60";

  /** A missing course may be added soon: caches keep the 404 only briefly. */
  static final String NOT_FOUND_CACHE_CONTROL = "public, max-age=10";

  private final Catalog catalog;
  private final String staticBaseUrl;

  ProductController(Catalog catalog, ShopProperties shop) {
    this.catalog = catalog;
    this.staticBaseUrl = shop.staticBaseUrl();
  }

  @GetMapping(path = "/products", produces = MediaType.APPLICATION_JSON_VALUE)
  List<Product> list() {
    return catalog.products();
  }

  /**
   * A 200 whose ETag the request already holds ({@code If-None-Match}), or that has not changed
   * since {@code If-Modified-Since}, becomes a 304 in Spring MVC itself, with the same validators
   * and Cache-Control, so a cache that revalidates keeps the page for another max-age.
   */
  @GetMapping("/products/{sku}")
  ResponseEntity<String> page(@PathVariable String sku) {
    return catalog
        .find(sku)
        .map(
            product -> {
              ProductPage page = ProductPage.of(product, staticBaseUrl);
              return ResponseEntity.ok()
                  .contentType(HTML)
                  .header(HttpHeaders.CACHE_CONTROL, PAGE_CACHE_CONTROL)
                  .eTag(page.etag())
                  .lastModified(product.updatedAt())
                  .body(page.html());
            })
        .orElseGet(
            () ->
                ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .contentType(HTML)
                    .header(HttpHeaders.CACHE_CONTROL, NOT_FOUND_CACHE_CONTROL)
                    .body(ProductPage.notFound(sku).html()));
  }
}
