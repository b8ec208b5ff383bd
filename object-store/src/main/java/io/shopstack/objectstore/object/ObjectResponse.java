package io.shopstack.objectstore.object;

import io.shopstack.objectstore.storage.StoredObject;
import jakarta.servlet.http.HttpServletResponse;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.eclipse.jetty.ee11.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.springframework.http.HttpHeaders;

/** The headers GET and HEAD answer with: what the upload stored, plus S3's validators. */
final class ObjectResponse {

  private ObjectResponse() {}

  static void representation(StoredObject object, HttpServletResponse response) {
    object
        .headers()
        .representation()
        .forEach(
            (name, value) -> {
              if (name.equals(HttpHeaders.CONTENT_TYPE)) {
                exactContentType(value, response);
              } else {
                response.setHeader(name, value);
              }
            });
    object
        .headers()
        .userMetadata()
        .forEach((name, value) -> response.setHeader("x-amz-meta-" + name, value));
    response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    validators(object, response);
  }

  /**
   * The Content-Type exactly as uploaded, as S3 returns it: the servlet API parses the value and
   * writes it back in its own spelling ("text/html;charset=utf-8" for "text/html; charset=utf-8"),
   * so on Jetty the header goes into the response's fields directly.
   */
  private static void exactContentType(String value, HttpServletResponse response) {
    ServletContextResponse jetty = ServletContextResponse.getServletContextResponse(response);
    if (jetty == null) {
      response.setContentType(value);
      return;
    }
    // a field without Jetty's header constant is not intercepted and re-spelled
    jetty.getHeaders().put(new HttpField(null, HttpHeader.CONTENT_TYPE.asString(), value));
  }

  /** What a 304 carries too, so a cache can refresh its stored copy (RFC 9110 §15.4.5). */
  static void validators(StoredObject object, HttpServletResponse response) {
    response.setHeader(HttpHeaders.ETAG, object.etag());
    response.setHeader(
        HttpHeaders.LAST_MODIFIED,
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            object.lastModified().atOffset(ZoneOffset.UTC)));
    String cacheControl = object.headers().representation().get(HttpHeaders.CACHE_CONTROL);
    if (cacheControl != null) {
      response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
    }
    String expires = object.headers().representation().get(HttpHeaders.EXPIRES);
    if (expires != null) {
      response.setHeader(HttpHeaders.EXPIRES, expires);
    }
  }
}
