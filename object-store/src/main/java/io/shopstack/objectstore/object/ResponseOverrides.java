package io.shopstack.objectstore.object;

import io.shopstack.objectstore.system.S3Error;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.http.HttpHeaders;

/**
 * GetObject's {@code response-*} query parameters: a signed request (or presigned URL) may ask for
 * other response headers than the object was stored with, e.g. a download link that names the file
 * ({@code response-content-disposition}). S3 refuses them on anonymous requests, and so does this
 * store (a public image's headers are what the CDN caches).
 */
final class ResponseOverrides {

  /** The query parameter and the response header it replaces, in S3's list. */
  private static final Map<String, String> PARAMETERS =
      Map.of(
          "response-content-type", HttpHeaders.CONTENT_TYPE,
          "response-content-language", HttpHeaders.CONTENT_LANGUAGE,
          "response-expires", HttpHeaders.EXPIRES,
          "response-cache-control", HttpHeaders.CACHE_CONTROL,
          "response-content-disposition", HttpHeaders.CONTENT_DISPOSITION,
          "response-content-encoding", HttpHeaders.CONTENT_ENCODING);

  private ResponseOverrides() {}

  /** Sets the requested headers over the stored ones; {@code signed} says who asked. */
  static void apply(HttpServletRequest request, boolean signed, BiConsumer<String, String> header) {
    for (Map.Entry<String, String> parameter : PARAMETERS.entrySet()) {
      String value = request.getParameter(parameter.getKey());
      if (value == null) {
        continue;
      }
      if (!signed) {
        throw S3Error.INVALID_REQUEST.exception(
            "Request specific response headers cannot be used for anonymous GET requests.");
      }
      header.accept(parameter.getValue(), value);
    }
  }
}
