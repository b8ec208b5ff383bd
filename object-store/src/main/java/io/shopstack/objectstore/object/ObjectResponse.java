package io.shopstack.objectstore.object;

import io.shopstack.objectstore.storage.StoredObject;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.eclipse.jetty.ee11.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.springframework.http.HttpHeaders;

/** The headers GET and HEAD answer with: what the upload stored, plus S3's validators. */
final class ObjectResponse {

  /**
   * HTTP's IMF-fixdate (RFC 9110 section 5.6.7), as S3 sends it: the day of the month always has
   * two digits ("Tue, 03 Nov"); the JDK's RFC_1123_DATE_TIME writes "Tue, 3 Nov", which strict date
   * parsers and byte-comparing caches take as a different or invalid date.
   */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private ObjectResponse() {}

  /** {@code instant} as an HTTP date (seconds, the finer part dropped). */
  static String httpDate(Instant instant) {
    return HTTP_DATE.format(instant);
  }

  static void representation(StoredObject object, HttpServletResponse response) {
    representation(object, servletHeaders(response));
  }

  /** Where ResponseOverrides puts its headers on the servlet path. */
  static BiConsumer<String, String> servletHeaders(HttpServletResponse response) {
    return (name, value) -> {
      if (name.equals(HttpHeaders.CONTENT_TYPE)) {
        exactContentType(value, response);
      } else {
        response.setHeader(name, value);
      }
    };
  }

  /**
   * Every header of a GET or HEAD answer that comes from the object, in one place for both ways an
   * object is served: through Spring MVC and through PublicReadFastPath.
   */
  static void representation(StoredObject object, BiConsumer<String, String> header) {
    object.headers().representation().forEach(header);
    object
        .headers()
        .userMetadata()
        .forEach((name, value) -> header.accept("x-amz-meta-" + name, value));
    header.accept(HttpHeaders.ACCEPT_RANGES, "bytes");
    validators(object, header);
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
    validators(object, response::setHeader);
  }

  private static void validators(StoredObject object, BiConsumer<String, String> header) {
    header.accept(HttpHeaders.ETAG, object.etag());
    header.accept(HttpHeaders.LAST_MODIFIED, httpDate(object.lastModified()));
    String cacheControl = object.headers().representation().get(HttpHeaders.CACHE_CONTROL);
    if (cacheControl != null) {
      header.accept(HttpHeaders.CACHE_CONTROL, cacheControl);
    }
    String expires = object.headers().representation().get(HttpHeaders.EXPIRES);
    if (expires != null) {
      header.accept(HttpHeaders.EXPIRES, expires);
    }
  }
}
