package io.shopstack.objectstore.system;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The element naming what an S3 error is about, as S3 documents it: {@code <Key>} for NoSuchKey,
 * {@code <BucketName>} for the bucket errors, {@code <UploadId>} for NoSuchUpload. Tools print it
 * (and some SDKs expose it as a field), so the message itself stays S3's fixed text.
 */
final class ErrorSubject {

  private ErrorSubject() {}

  static Map<String, String> of(S3Error error, HttpServletRequest request) {
    String path = request.getRequestURI();
    String[] parts = (path == null ? "" : path.substring(1)).split("/", 2);
    return switch (error) {
      case NO_SUCH_BUCKET, BUCKET_NOT_EMPTY, INVALID_BUCKET_NAME ->
          parts[0].isEmpty() ? Map.of() : Map.of("BucketName", decoded(parts[0]));
      // a copy's missing key is its source's, which the path does not name
      case NO_SUCH_KEY ->
          parts.length < 2 || request.getHeader("x-amz-copy-source") != null
              ? Map.of()
              : Map.of("Key", decoded(parts[1]));
      case NO_SUCH_UPLOAD -> {
        // from the query string itself: getParameter would parse a form-encoded body away
        String uploadId =
            UriComponentsBuilder.fromUriString("/?" + request.getQueryString())
                .build()
                .getQueryParams()
                .getFirst("uploadId");
        yield uploadId == null ? Map.of() : Map.of("UploadId", decoded(uploadId));
      }
      default -> Map.of();
    };
  }

  private static String decoded(String encoded) {
    return UriUtils.decode(encoded, StandardCharsets.UTF_8);
  }
}
