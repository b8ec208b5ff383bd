package io.shopstack.objectstore.object;

import io.shopstack.objectstore.system.S3Error;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single {@code Range: bytes=...} request, resolved against the object's size. Like S3, only one
 * range is served; a header this class cannot read is ignored (RFC 9110 §14.2: the full
 * representation is the answer), while a well-formed range outside the object is 416.
 */
record ByteRange(long first, long last) {

  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  long length() {
    return last - first + 1;
  }

  String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  static Optional<ByteRange> parse(String header, long size) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = SINGLE.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return Optional.empty();
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) {
          throw unsatisfiable();
        }
        return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
      if (last < first) {
        return Optional.empty(); // "bytes=5-2" is invalid syntax, not an unsatisfiable range
      }
      if (first >= size) {
        throw unsatisfiable();
      }
      return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
    } catch (NumberFormatException e) {
      return Optional.empty(); // more digits than a long holds: not a range we can read
    }
  }

  private static RuntimeException unsatisfiable() {
    return S3Error.INVALID_RANGE.exception();
  }
}
