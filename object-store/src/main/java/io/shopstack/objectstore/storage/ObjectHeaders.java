package io.shopstack.objectstore.storage;

import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP headers an object keeps from its upload and replays on every GET: the representation
 * headers a CDN edge caches by ({@code Content-Type}, {@code Cache-Control}, ...) and the user's
 * {@code x-amz-meta-*} pairs (stored without the prefix, lower-cased, as S3 does). And the
 * checksums the upload declared and the store verified ({@code x-amz-checksum-crc32} to its base64
 * value, ...), which are replayed only to a GET or HEAD that asks with {@code x-amz-checksum-mode}.
 */
public record ObjectHeaders(
    Map<String, String> representation,
    Map<String, String> userMetadata,
    Map<String, String> checksums) {

  /** Without checksums: what the object keeps when its upload declared none. */
  public ObjectHeaders(Map<String, String> representation, Map<String, String> userMetadata) {
    this(representation, userMetadata, null);
  }

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
    checksums = new TreeMap<>(checksums == null ? Map.of() : checksums);
  }

  /**
   * These headers without composite checksums: a copy is one piece, and a multipart source's
   * checksum of its parts' checksums says nothing about it (same bytes, other parts).
   */
  public ObjectHeaders withoutComposites() {
    Map<String, String> whole = new TreeMap<>(checksums);
    whole.values().removeIf(value -> ChecksumAlgorithm.type(value).equals("COMPOSITE"));
    return new ObjectHeaders(representation, userMetadata, whole);
  }

  /** These headers with {@code checksums} instead of their own. */
  public ObjectHeaders withChecksums(Map<String, String> checksums) {
    return new ObjectHeaders(representation, userMetadata, checksums);
  }

  public String contentType() {
    return representation.get("Content-Type");
  }
}
