package io.shopstack.objectstore.storage;

import io.shopstack.objectstore.system.S3Error;
import java.nio.charset.StandardCharsets;

/**
 * What this store accepts as an object key. S3 itself takes any UTF-8 string up to 1024 bytes; keys
 * are percent-encoded into one file name each (see DiskLayout), so no key can reach outside its
 * bucket anyway, but keys that look like path traversal ({@code .} or {@code ..} segments, a
 * leading slash) are refused outright: they only ever come from probes or broken clients, and a CDN
 * path that normalises differently than the origin is a cache-poisoning bug waiting to happen.
 */
public final class ObjectKey {

  static final int MAX_BYTES = 1024;

  private ObjectKey() {}

  /**
   * The CommonPrefixes entry a listing rolls {@code key} (under {@code prefix}) up into: the key up
   * to and including the first {@code delimiter} after the prefix; null when there is no delimiter
   * or the rest of the key holds none, and the key is listed itself. ListObjects and
   * ListMultipartUploads group keys the same way.
   */
  public static String commonPrefix(String key, String prefix, String delimiter) {
    if (delimiter == null) {
      return null;
    }
    int at = key.indexOf(delimiter, prefix.length());
    return at < 0 ? null : key.substring(0, at + delimiter.length());
  }

  public static String require(String key) {
    if (key == null || key.isEmpty()) {
      throw S3Error.INVALID_ARGUMENT.exception("The object key must not be empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw S3Error.KEY_TOO_LONG.exception("Object keys are limited to 1024 bytes of UTF-8");
    }
    if (key.startsWith("/") || key.startsWith("\\")) {
      throw S3Error.INVALID_ARGUMENT.exception("The object key must not be an absolute path");
    }
    for (String segment : key.split("[/\\\\]", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw S3Error.INVALID_ARGUMENT.exception(
            "The object key must not contain '.' or '..' path segments");
      }
    }
    if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw S3Error.INVALID_ARGUMENT.exception(
          "The object key must not contain control characters");
    }
    return key;
  }
}
