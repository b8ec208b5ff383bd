package io.shopstack.edge.proxy;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;

/**
 * A {@code Range} request answered from a stored whole {@code 200} (RFC 9110 14): one byte range
 * becomes {@code 206}, one that starts past the end becomes {@code 416}. Several ranges, other
 * units, a malformed header or a failed {@code If-Range} get the whole {@code 200}, which the RFC
 * allows: a server may always ignore Range.
 */
final class ByteRanges {
  /** What to send: the whole body, bytes {@code first..last} of it, or 416. */
  record Selection(Kind kind, long first, long last) {
    enum Kind {
      WHOLE,
      PARTIAL,
      UNSATISFIABLE
    }

    static final Selection WHOLE = new Selection(Kind.WHOLE, 0, -1);
    static final Selection UNSATISFIABLE = new Selection(Kind.UNSATISFIABLE, 0, -1);

    long length() {
      return last - first + 1;
    }
  }

  private ByteRanges() {}

  static Selection select(HttpHeaders request, HttpHeaders stored, long length) {
    String range = request.get(HttpHeaderNames.RANGE);
    if (range == null || !ifRangeHolds(request.get(HttpHeaderNames.IF_RANGE), stored)) {
      return Selection.WHOLE;
    }
    String spec = range.trim();
    if (!spec.regionMatches(true, 0, "bytes=", 0, 6) || spec.indexOf(',') >= 0) {
      return Selection.WHOLE;
    }
    spec = spec.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return Selection.WHOLE;
    }
    long first = digits(spec.substring(0, dash).trim());
    long last = digits(spec.substring(dash + 1).trim());
    if (dash == 0) { // "-500": the last 500 bytes
      if (last < 0) {
        return Selection.WHOLE;
      }
      if (last == 0 || length == 0) {
        return Selection.UNSATISFIABLE;
      }
      return new Selection(Selection.Kind.PARTIAL, Math.max(0, length - last), length - 1);
    }
    if (first < 0 || (dash < spec.length() - 1 && (last < 0 || last < first))) {
      return Selection.WHOLE; // not a valid range-spec: ignore the header
    }
    if (first >= length) {
      return Selection.UNSATISFIABLE;
    }
    long end = last < 0 ? length - 1 : Math.min(last, length - 1);
    return new Selection(Selection.Kind.PARTIAL, first, end);
  }

  /**
   * RFC 9110 13.1.5: the range applies only if the client's copy is the stored one, by strong ETag
   * or by exactly the Last-Modified date.
   */
  private static boolean ifRangeHolds(String ifRange, HttpHeaders stored) {
    if (ifRange == null) {
      return true;
    }
    String condition = ifRange.trim();
    if (condition.startsWith("\"") || condition.startsWith("W/")) {
      return Preconditions.strongMatch(condition, stored.get(HttpHeaderNames.ETAG));
    }
    Date date = DateFormatter.parseHttpDate(condition);
    String lastModified = stored.get(HttpHeaderNames.LAST_MODIFIED);
    Date modified = lastModified == null ? null : DateFormatter.parseHttpDate(lastModified);
    return date != null && modified != null && date.equals(modified);
  }

  /** A non-negative decimal, -1 when empty or not all digits. */
  private static long digits(String s) {
    if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Long.parseLong(s);
  }
}
