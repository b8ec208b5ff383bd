package io.shopstack.edge.rules;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule file as the running cache holds it, and its reload without a restart (Varnish's {@code
 * vcl.load} + {@code vcl.use}, nginx's {@code SIGHUP}). A reload reads and checks the whole file
 * first and switches only if all of it is good; a bad file is refused with the reason and the rules
 * in use stay. Requests read the current rules once each, so a request never sees half of one file
 * and half of another.
 */
public final class RuleFile implements Supplier<EdgeRules> {
  private static final Logger log = LoggerFactory.getLogger(RuleFile.class);

  /** What a reload did, for the operator who asked for it. */
  public record Outcome(boolean applied, String message) {}

  private final String location;
  private volatile EdgeRules current;

  private RuleFile(String location, EdgeRules rules) {
    this.location = location;
    this.current = rules;
  }

  /**
   * Reads the file at start; a bad file stops the cache there, as before.
   *
   * @param location {@code classpath:NAME} or a path; blank for no rules (and nothing to reload)
   */
  public static RuleFile load(String location) {
    String where = location == null ? "" : location.trim();
    return new RuleFile(where, EdgeRules.load(where));
  }

  @Override
  public EdgeRules get() {
    return current;
  }

  /** Reads the file again; switches to it only if every rule in it is valid. */
  public synchronized Outcome reload() {
    if (location.isEmpty()) {
      return new Outcome(false, "no rule file configured (rules: / SHOP_RULES is empty)");
    }
    EdgeRules loaded;
    try {
      loaded = EdgeRules.load(location);
    } catch (RuntimeException e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      log.warn("rule file {} refused, the {} rules in use stay: {}", location, size(), reason);
      return new Outcome(
          false,
          "rule file " + location + " refused, the " + size() + " rules in use stay: " + reason);
    }
    current = loaded;
    log.info("rule file {} reloaded: {} rules", location, loaded.rules().size());
    return new Outcome(
        true, "rule file " + location + " reloaded: " + loaded.rules().size() + " rules");
  }

  private int size() {
    return current.rules().size();
  }
}
