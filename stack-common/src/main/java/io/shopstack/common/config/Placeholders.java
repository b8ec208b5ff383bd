package io.shopstack.common.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in configuration text, the way a shell or
 * docker compose does. This is how one file serves both address sets: the local topology leaves
 * {@code SHOP_NET} at its default (127) and Docker sets it to 172.
 */
public final class Placeholders {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private Placeholders() {}

  /**
   * Returns {@code text} with every placeholder replaced.
   *
   * @throws IllegalArgumentException naming the variable when one without a default is unset
   */
  public static String expand(String text, Map<String, String> variables) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String name = m.group(1);
      String value = variables.get(name);
      if (value == null || (value.isEmpty() && m.group(2) != null)) {
        value = m.group(2);
      }
      if (value == null) {
        throw new IllegalArgumentException(
            "configuration needs variable " + name + " (no default given)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
