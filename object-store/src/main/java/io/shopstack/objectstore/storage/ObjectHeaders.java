package io.shopstack.objectstore.storage;

import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP headers an object keeps from its upload and replays on every GET: the representation
 * headers a CDN edge caches by ({@code Content-Type}, {@code Cache-Control}, ...) and the user's
 * {@code x-amz-meta-*} pairs (stored without the prefix, lower-cased, as S3 does).
 */
public record ObjectHeaders(Map<String, String> representation, Map<String, String> userMetadata) {

  /** Representation headers S3 stores with an object, in the spelling they are sent back in. */
  public static final String[] STORED =
      new String[] {
        "Content-Type",
        "Cache-Control",
        "Content-Disposition",
        "Content-Encoding",
        "Content-Language",
        "Expires"
      };

  public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  public ObjectHeaders {
    representation = new TreeMap<>(representation == null ? Map.of() : representation);
    representation.putIfAbsent("Content-Type", DEFAULT_CONTENT_TYPE);
    userMetadata = new TreeMap<>(userMetadata == null ? Map.of() : userMetadata);
  }

  public String contentType() {
    return representation.get("Content-Type");
  }
}
