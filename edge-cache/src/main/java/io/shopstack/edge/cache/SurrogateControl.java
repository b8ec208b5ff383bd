package io.shopstack.edge.cache;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code Surrogate-Control} (W3C Edge Architecture 1.0, as Fastly and Akamai use it): directives
 * for the caches an origin runs or rents, each optionally aimed at one of them by name ({@code
 * max-age=60;dc-cache}). This cache announces its name in {@code Surrogate-Capability} on every
 * origin request and takes the directives that are unaimed or aimed at it; they override {@code
 * CDN-Cache-Control} and {@code Cache-Control} the way {@code CDN-Cache-Control} overrides {@code
 * Cache-Control}. Directives aimed at other caches are passed on for them; ours are not.
 */
public final class SurrogateControl {
  public static final AsciiString SURROGATE_CONTROL = AsciiString.cached("surrogate-control");
  public static final AsciiString SURROGATE_CAPABILITY = AsciiString.cached("surrogate-capability");

  private SurrogateControl() {}

  /** The directives meant for the cache called {@code name}; empty if there are none. */
  static CacheControl forCache(HttpHeaders headers, String name) {
    List<String> ours = new ArrayList<>();
    for (String member : members(headers)) {
      int semicolon = member.indexOf(';');
      if (semicolon < 0) {
        ours.add(member);
      } else if (aimedAt(member.substring(semicolon + 1), name)) {
        ours.add(member.substring(0, semicolon).trim());
      }
    }
    return ours.isEmpty()
        ? CacheControl.parse(List.of())
        : CacheControl.parse(List.of(String.join(", ", ours)));
  }

  /**
   * Leaves in {@code headers} only the directives aimed at other caches, for a cache further out;
   * the header goes when none are left.
   */
  public static void keepOthers(HttpHeaders headers, String name) {
    if (!headers.contains(SURROGATE_CONTROL)) {
      return;
    }
    List<String> others = new ArrayList<>();
    for (String member : members(headers)) {
      int semicolon = member.indexOf(';');
      if (semicolon >= 0 && !aimedAt(member.substring(semicolon + 1), name)) {
        others.add(member);
      }
    }
    if (others.isEmpty()) {
      headers.remove(SURROGATE_CONTROL);
    } else {
      headers.set(SURROGATE_CONTROL, String.join(", ", others));
    }
  }

  /** {@code name="Surrogate/1.0"}: what this cache adds to the capabilities sent to an origin. */
  public static String capability(String name) {
    return name + "=\"Surrogate/1.0\"";
  }

  private static boolean aimedAt(String target, String name) {
    return target.trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT));
  }

  /** The comma-separated members of every line; a quoted value's commas do not split. */
  private static List<String> members(HttpHeaders headers) {
    List<String> members = new ArrayList<>();
    for (String line : headers.getAll(SURROGATE_CONTROL)) {
      StringBuilder member = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '"') {
          quoted = !quoted;
        }
        if (c == ',' && !quoted) {
          add(members, member);
          member.setLength(0);
        } else {
          member.append(c);
        }
      }
      add(members, member);
    }
    return members;
  }

  private static void add(List<String> members, StringBuilder member) {
    String trimmed = member.toString().trim();
    if (!trimmed.isEmpty()) {
      members.add(trimmed);
    }
  }
}
