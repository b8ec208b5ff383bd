package io.shopstack.objectstore.copy;

import io.shopstack.objectstore.system.S3Error;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code x-amz-copy-source-range} of UploadPartCopy. Stricter than a GET's Range, as S3 is: both
 * ends given, inside the source; anything else is refused rather than widened to the whole object,
 * because a client assembling an object from ranges must not get a part of the wrong size.
 */
record CopyRange(long first, long length) {

  static final String HEADER = "x-amz-copy-source-range";

  private static final Pattern FIRST_LAST = Pattern.compile("bytes=(\\d{1,18})-(\\d{1,18})");

  static CopyRange of(String header, long size) {
    if (header == null) {
      return new CopyRange(0, size);
    }
    Matcher m = FIRST_LAST.matcher(header.trim());
    if (!m.matches()) {
      throw S3Error.INVALID_ARGUMENT.exception(
          "The x-amz-copy-source-range value must be of the form bytes=first-last");
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    if (first > last || last >= size) {
      throw S3Error.INVALID_ARGUMENT.exception(
          "Range specified is not valid for source object of size: " + size);
    }
    return new CopyRange(first, last - first + 1);
  }
}
