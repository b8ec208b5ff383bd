package io.shopstack.objectstore.copy;

import io.shopstack.objectstore.object.Preconditions;
import io.shopstack.objectstore.storage.StoredObject;
import io.shopstack.objectstore.system.S3Error;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.web.util.UriUtils;

/**
 * What a copy reads from: {@code x-amz-copy-source} ({@code [/]bucket/key[?versionId=..]}, the key
 * URL-encoded) and the {@code x-amz-copy-source-if-*} conditions, which S3 evaluates against the
 * source and answers with 412 when they fail.
 */
record CopySource(String bucket, String key) {

  static final String HEADER = "x-amz-copy-source";

  static CopySource of(HttpServletRequest request) {
    String raw = request.getHeader(HEADER).trim();
    // '?' in a key arrives encoded (%3F): a literal one starts the version id
    int query = raw.indexOf('?');
    if (query >= 0) {
      String version = raw.substring(query + 1);
      if (!version.equals("versionId=null")) {
        throw S3Error.INVALID_ARGUMENT.exception(
            "Invalid version id specified: this store keeps no versions but \"null\"");
      }
      raw = raw.substring(0, query);
    }
    String path =
        UriUtils.decode(raw.startsWith("/") ? raw.substring(1) : raw, StandardCharsets.UTF_8);
    int slash = path.indexOf('/');
    if (slash <= 0 || slash == path.length() - 1) {
      throw S3Error.INVALID_ARGUMENT.exception(
          "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
    }
    return new CopySource(path.substring(0, slash), path.substring(slash + 1));
  }

  /**
   * S3's rules for the four copy conditions: a matching If-Match wins over a failing
   * If-Unmodified-Since; a failing If-None-Match fails whatever If-Modified-Since says.
   */
  static void checkConditions(StoredObject source, HttpServletRequest request) {
    Instant modified = source.lastModified().truncatedTo(ChronoUnit.SECONDS);
    String ifMatch = request.getHeader(HEADER + "-if-match");
    String ifUnmodifiedSince = request.getHeader(HEADER + "-if-unmodified-since");
    String ifNoneMatch = request.getHeader(HEADER + "-if-none-match");
    String ifModifiedSince = request.getHeader(HEADER + "-if-modified-since");
    if (ifMatch != null) {
      if (!Preconditions.matches(ifMatch, source.etag())) {
        throw failed("x-amz-copy-source-If-Match");
      }
    } else if (ifUnmodifiedSince != null) {
      Instant since = Preconditions.httpDate(ifUnmodifiedSince);
      if (since != null && modified.isAfter(since)) {
        throw failed("x-amz-copy-source-If-Unmodified-Since");
      }
    }
    if (ifNoneMatch != null) {
      if (Preconditions.matches(ifNoneMatch, source.etag())) {
        throw failed("x-amz-copy-source-If-None-Match");
      }
    } else if (ifModifiedSince != null) {
      Instant since = Preconditions.httpDate(ifModifiedSince);
      if (since != null && !modified.isAfter(since)) {
        throw failed("x-amz-copy-source-If-Modified-Since");
      }
    }
  }

  private static RuntimeException failed(String condition) {
    return S3Error.PRECONDITION_FAILED.exception(
        "At least one of the pre-conditions you specified did not hold: " + condition);
  }
}
