package io.shopstack.edge.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The directives of a {@code Cache-Control} field (RFC 9111 5.2), or of {@code CDN-Cache-Control}
 * (RFC 9213, same syntax), all field lines merged. Directive names are case-insensitive; a value
 * may be a quoted string, whose commas do not split directives. When a directive repeats, the first
 * one counts (RFC 9111 4.2.1).
 */
public final class CacheControl {
  /** RFC 9111 1.2.2: what an overflowing delta-seconds value is taken to be. */
  static final long DELTA_SECONDS_CAP = 2_147_483_648L;

  private static final CacheControl NONE = new CacheControl(Map.of());

  private final Map<String, String> directives;

  private CacheControl(Map<String, String> directives) {
    this.directives = directives;
  }

  public static CacheControl of(HttpHeaders headers) {
    if (!headers.contains(HttpHeaderNames.CACHE_CONTROL)) {
      return NONE; // most requests: no list to build
    }
    return parse(headers.getAll(HttpHeaderNames.CACHE_CONTROL));
  }

  public static CacheControl parse(List<String> lines) {
    if (lines.isEmpty()) {
      return NONE;
    }
    Map<String, String> directives = new HashMap<>();
    for (String line : lines) {
      parseLine(line, directives);
    }
    return new CacheControl(directives);
  }

  public boolean isEmpty() {
    return directives.isEmpty();
  }

  public boolean has(String directive) {
    return directives.containsKey(directive);
  }

  /** A directive's value, unquoted; empty if absent or without a value. */
  public String value(String directive) {
    return directives.getOrDefault(directive, "");
  }

  /**
   * A delta-seconds directive such as {@code max-age}; empty if absent or without leading digits.
   * Digits followed by anything else count by their digits ({@code max-age=3600.0} is an hour, as
   * browsers read it), and a value too large is capped as RFC 9111 1.2.2 says.
   */
  public OptionalLong seconds(String directive) {
    String value = directives.get(directive);
    if (value == null) {
      return OptionalLong.empty();
    }
    int digits = 0;
    while (digits < value.length() && Character.isDigit(value.charAt(digits))) {
      digits++;
    }
    if (digits == 0) {
      return OptionalLong.empty();
    }
    if (digits > 10) {
      return OptionalLong.of(DELTA_SECONDS_CAP);
    }
    return OptionalLong.of(Math.min(Long.parseLong(value.substring(0, digits)), DELTA_SECONDS_CAP));
  }

  /**
   * A token-or-quoted-string grammar walk: {@code name[=value]} members separated by commas, where
   * a quoted value may itself contain commas and {@code \"}. Spaces around {@code =} are not part
   * of the grammar, so {@code max-age =60} is an unknown directive, not a max-age.
   */
  private static void parseLine(String line, Map<String, String> into) {
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && (line.charAt(i) == ',' || line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
        i++;
      }
      int nameStart = i;
      while (i < n && line.charAt(i) != '=' && line.charAt(i) != ',') {
        i++;
      }
      String name = line.substring(nameStart, i);
      String value = "";
      if (i >= n || line.charAt(i) != '=') {
        name = name.stripTrailing(); // "no-store , public": the space belongs to the list
      } else {
        i++;
        if (i < n && line.charAt(i) == '"') {
          StringBuilder quoted = new StringBuilder();
          i++;
          while (i < n && line.charAt(i) != '"') {
            if (line.charAt(i) == '\\' && i + 1 < n) {
              i++;
            }
            quoted.append(line.charAt(i++));
          }
          i++; // the closing quote
          value = quoted.toString();
          while (i < n && line.charAt(i) != ',') {
            i++;
          }
        } else {
          int valueStart = i;
          while (i < n && line.charAt(i) != ',') {
            i++;
          }
          value = line.substring(valueStart, i).stripTrailing();
        }
      }
      if (!name.isEmpty() && name.chars().noneMatch(Character::isWhitespace)) {
        into.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
      }
    }
  }
}
