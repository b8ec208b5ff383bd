package io.shopstack.edge.proxy;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * A client's own conditional GET or HEAD answered by the cache (RFC 9110 13.2.2, RFC 9111 4.3.2):
 * when the stored response still matches what the client holds, it gets {@code 304} instead of the
 * body again.
 */
final class Preconditions {
  /** RFC 9110 15.4.5: the fields a 304 carries, as the 200 would have. */
  private static final List<AsciiString> KEPT_IN_304 =
      List.of(
          HttpHeaderNames.CACHE_CONTROL,
          HttpHeaderNames.CONTENT_LOCATION,
          HttpHeaderNames.DATE,
          HttpHeaderNames.ETAG,
          HttpHeaderNames.EXPIRES,
          HttpHeaderNames.VARY,
          HttpHeaderNames.LAST_MODIFIED,
          ProxyHeaders.X_SERVED_BY,
          ProxyHeaders.X_CACHE,
          HttpHeaderNames.VIA);

  private Preconditions() {}

  /**
   * True when the request's {@code If-None-Match} matches the stored ETag (weak comparison), or,
   * without one, when the stored response is no newer than {@code If-Modified-Since}.
   */
  static boolean notModified(HttpHeaders request, HttpHeaders stored) {
    List<String> noneMatch = request.getAll(HttpHeaderNames.IF_NONE_MATCH);
    if (!noneMatch.isEmpty()) {
      String etag = stored.get(HttpHeaderNames.ETAG);
      for (String line : noneMatch) {
        if (line.trim().equals("*")) {
          return true;
        }
        if (etag != null && entityTags(line).contains(opaque(etag))) {
          return true;
        }
      }
      return false;
    }
    String since = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
    Date sinceDate = since == null ? null : DateFormatter.parseHttpDate(since);
    if (sinceDate == null) {
      return false;
    }
    String modified = stored.get(HttpHeaderNames.LAST_MODIFIED, stored.get(HttpHeaderNames.DATE));
    Date modifiedDate = modified == null ? null : DateFormatter.parseHttpDate(modified);
    return modifiedDate != null && !modifiedDate.after(sinceDate);
  }

  /** The header fields of the 304 that stands for {@code stored}. */
  static HttpHeaders notModifiedHeaders(HttpHeaders stored) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (AsciiString name : KEPT_IN_304) {
      List<String> values = stored.getAll(name);
      if (!values.isEmpty()) {
        headers.set(name, values);
      }
    }
    return headers;
  }

  /** Strong comparison (RFC 9110 8.8.3.2), which {@code If-Range} needs. */
  static boolean strongMatch(String a, String b) {
    return a != null && b != null && !a.startsWith("W/") && !b.startsWith("W/") && a.equals(b);
  }

  /** The opaque tags of a list such as {@code W/"a", "b,c"}; commas inside quotes stay. */
  private static List<String> entityTags(String line) {
    List<String> tags = new ArrayList<>();
    int i = 0;
    while ((i = line.indexOf('"', i)) >= 0) {
      int end = line.indexOf('"', i + 1);
      if (end < 0) {
        break;
      }
      tags.add(line.substring(i, end + 1));
      i = end + 1;
    }
    return tags;
  }

  /** An entity tag without its weakness marker: weak comparison ignores it. */
  private static String opaque(String etag) {
    String trimmed = etag.trim();
    return trimmed.startsWith("W/") ? trimmed.substring(2) : trimmed;
  }
}
