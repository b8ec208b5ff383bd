package io.shopstack.edge.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The directives of a response's {@code Cache-Control} header fields (RFC 9111 5.2), all field
 * lines merged. Directive names are case-insensitive; a value may be quoted.
 */
public final class CacheControl {
  private final Map<String, String> directives;

  private CacheControl(Map<String, String> directives) {
    this.directives = directives;
  }

  public static CacheControl of(HttpHeaders headers) {
    Map<String, String> directives = new HashMap<>();
    for (String line : headers.getAll(HttpHeaderNames.CACHE_CONTROL)) {
      for (String part : line.split(",")) {
        String directive = part.trim();
        if (directive.isEmpty()) {
          continue;
        }
        int eq = directive.indexOf('=');
        String name = (eq < 0 ? directive : directive.substring(0, eq)).trim();
        String value = eq < 0 ? "" : unquote(directive.substring(eq + 1).trim());
        directives.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
      }
    }
    return new CacheControl(directives);
  }

  public boolean has(String directive) {
    return directives.containsKey(directive);
  }

  /** A delta-seconds directive such as {@code max-age}; empty if absent or not a number. */
  public OptionalLong seconds(String directive) {
    String value = directives.get(directive);
    if (value == null || value.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }
}
