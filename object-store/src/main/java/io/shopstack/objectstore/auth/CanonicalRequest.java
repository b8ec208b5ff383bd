package io.shopstack.objectstore.auth;

import io.shopstack.objectstore.addressing.VirtualHostAddressing;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.web.util.UriUtils;

/**
 * The canonical request of SigV4 as S3 defines it: the path URI-encoded once (slashes kept), the
 * query sorted by encoded name and value, the signed headers lower-cased with trimmed values, and
 * the payload hash. Built from what arrived on the wire, so a proxy that rewrites the path or the
 * Host header breaks the signature, as it does with S3.
 */
final class CanonicalRequest {

  private CanonicalRequest() {}

  static String of(HttpServletRequest request, SignedRequest signed) {
    return request.getMethod()
        + "\n"
        + uri(VirtualHostAddressing.signedPath(request))
        + "\n"
        + query(request.getQueryString(), signed.presigned())
        + "\n"
        + headers(request, signed.signedHeaders())
        + "\n"
        + String.join(";", signed.signedHeaders())
        + "\n"
        + signed.payloadHash();
  }

  /**
   * Each segment decoded and encoded again on its own: a slash the client sent encoded ({@code
   * %2F}) is part of a segment and stays encoded, as the client signed it.
   */
  private static String uri(String rawPath) {
    String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    StringBuilder canonical = new StringBuilder();
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        canonical.append('/');
      }
      canonical.append(encode(UriUtils.decode(segments[i], "UTF-8"), true));
    }
    return canonical.toString();
  }

  private static String query(String rawQuery, boolean presigned) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (presigned && name.equals("X-Amz-Signature")) {
        continue;
      }
      pairs.add(Map.entry(encode(name, true), encode(value, true)));
    }
    pairs.sort(
        Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    return pairs.stream()
        .map(p -> p.getKey() + "=" + p.getValue())
        .collect(Collectors.joining("&"));
  }

  private static String headers(HttpServletRequest request, List<String> names) {
    StringBuilder canonical = new StringBuilder();
    for (String name : names) {
      List<String> values = Collections.list(request.getHeaders(name));
      canonical
          .append(name)
          .append(':')
          .append(
              values.stream()
                  .map(v -> v.trim().replaceAll(" +", " "))
                  .collect(Collectors.joining(",")))
          .append('\n');
    }
    return canonical.toString();
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** RFC 3986 unreserved characters stay, everything else is %XX in upper-case hex. */
  static String encode(String text, boolean encodeSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (c == '/' && !encodeSlash)) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
