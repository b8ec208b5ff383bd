package io.shopstack.order.product;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The HTML of a product page, and its entity tag.
 *
 * <p>The page names no instance and no time: every order instance renders the same bytes for the
 * same product, so the ETag is the same whichever instance the data-centre cache asked, and a
 * revalidation from the edge gets its 304.
 */
final class ProductPage {

  private final String html;
  private final String etag;

  private ProductPage(String html) {
    this.html = html;
    this.etag = '"' + sha256(html).substring(0, 32) + '"';
  }

  static ProductPage of(Product product, String staticBaseUrl) {
    String title = htmlEscape(product.title(), "UTF-8");
    String image = htmlEscape(staticBaseUrl + "/images/" + product.sku() + ".png", "UTF-8");
    return new ProductPage(
        """
        <!DOCTYPE html>
        <html lang="zh">
        <head>
        <meta charset="utf-8">
        <title>%1$s</title>
        </head>
        <body>
        <h1>%1$s</h1>
        <p class="author">%2$s</p>
        <img src="%3$s" alt="%1$s">
        <p class="description">%4$s</p>
        <p class="price" data-sku="%5$s">¥%6$s</p>
        </body>
        </html>
        """
            .formatted(
                title,
                htmlEscape(product.author(), "UTF-8"),
                image,
                htmlEscape(product.description() == null ? "" : product.description(), "UTF-8"),
                htmlEscape(product.sku(), "UTF-8"),
                product.price().toPlainString()));
  }

  static ProductPage notFound(String sku) {
    String escaped = htmlEscape(sku, "UTF-8");
    return new ProductPage(
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Not found</title>
        </head>
        <body>
        <h1>Not found</h1>
        <p>The shop sells no course "%s".</p>
        </body>
        </html>
        """
            .formatted(escaped));
  }

  String html() {
    return html;
  }

  String etag() {
    return etag;
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
