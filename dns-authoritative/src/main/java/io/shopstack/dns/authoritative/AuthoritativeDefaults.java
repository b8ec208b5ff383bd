package io.shopstack.dns.authoritative;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.config.Placeholders;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The shipped {@code dns-authoritative.yml} as the base other configurations build on: the CDN's
 * DNS is an authoritative server too, so its configuration names only what differs and every knob
 * added here reaches it without being written twice.
 */
public final class AuthoritativeDefaults {
  static final String RESOURCE = "dns-authoritative.yml";

  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private AuthoritativeDefaults() {}

  /**
   * The defaults with {@code overrides} laid over them, key by key (nested sections such as {@code
   * rrl:} merge rather than replace). The defaults' placeholders are expanded from the process
   * environment, as a service's {@code main} does; whatever a caller sets per instance (address,
   * ports, zones) belongs in {@code overrides}.
   */
  public static AuthoritativeConfig overlaid(Map<String, Object> overrides) {
    Map<String, String> variables = new HashMap<>(System.getenv());
    System.getProperties().forEach((k, v) -> variables.put(k.toString(), v.toString()));
    String text = Placeholders.expand(ConfigLoader.readText("classpath:" + RESOURCE), variables);
    try {
      Map<String, Object> merged =
          merge(YAML.readValue(text, new TypeReference<Map<String, Object>>() {}), overrides);
      return YAML.convertValue(merged, AuthoritativeConfig.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "invalid authoritative server configuration: " + e.getOriginalMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    if (over == null) {
      return merged;
    }
    over.forEach(
        (key, value) ->
            merged.merge(
                key,
                value,
                (was, now) ->
                    was instanceof Map && now instanceof Map
                        ? merge((Map<String, Object>) was, (Map<String, Object>) now)
                        : now));
    return merged;
  }
}
