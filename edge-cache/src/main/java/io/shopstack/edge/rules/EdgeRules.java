package io.shopstack.edge.rules;

import io.shopstack.common.config.ConfigLoader;
import java.util.List;
import java.util.Map;

/**
 * The rule file ({@code rules:} in {@code edge-cache.yml}): per-URL TTL overrides, cookie
 * stripping, pass rules and allowed methods, the common subset of what people write VCL for, in a
 * form an operator can read top to bottom. Loaded once at start, like the routes.
 */
public final class EdgeRules {
  /** The file's shape: a list under {@code rules:}. */
  record File(List<EdgeRule> rules) {}

  public static final EdgeRules NONE = new EdgeRules(List.of());

  private final List<EdgeRule> rules;

  public EdgeRules(List<EdgeRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Reads a rule file ({@code classpath:NAME} or a path); blank means no rules.
   *
   * @throws IllegalArgumentException naming the file and what is wrong in it
   */
  public static EdgeRules load(String location) {
    if (location == null || location.isBlank()) {
      return NONE;
    }
    File file = ConfigLoader.load(File.class, location.trim(), Map.of());
    return new EdgeRules(file == null || file.rules() == null ? List.of() : file.rules());
  }

  /** The first rule that applies, or {@link EdgeRule#NONE}. */
  public EdgeRule match(String host, String path) {
    for (EdgeRule rule : rules) {
      if (rule.matches(host, path)) {
        return rule;
      }
    }
    return EdgeRule.NONE;
  }

  public List<EdgeRule> rules() {
    return rules;
  }
}
