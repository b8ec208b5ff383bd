package io.shopstack.slb.operations;

import io.shopstack.slb.FrontendConfig;
import io.shopstack.slb.SlbConfig;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.BackendSpec;
import io.shopstack.slb.backend.BackendState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reload of the configuration file inside the running SLB (SIGHUP or {@code POST /reload}): the
 * file is read again and its backends compared with the pool's. New ones are added (DOWN until
 * their checks pass, or their {@code init-state}; UP until a check fails when no kept backend is in
 * rotation to carry the traffic meanwhile), removed ones leave the pool while their open splices
 * finish, changed weights, maxconns and maxqueues are applied; established connections are never
 * touched. Each frontend's backends are compared with its own pool, by frontend name. Other keys
 * (listen addresses, balance, timeouts, checks, frontends added or removed) need a restart, or the
 * side-by-side reload of a new process (README, "Reload"): the answer names each one that changed
 * and was left as it is. A file that does not load changes nothing.
 */
public final class ConfigReload {
  private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

  private final Supplier<SlbConfig> source;
  private final Map<String, BackendChanges> frontends;
  private final SlbConfig running;

  /**
   * @param source reads the configuration again (file and environment), throwing when it is invalid
   * @param running the configuration the SLB was started with, for the keys a reload cannot apply
   * @param frontends each running frontend's changes by its name
   */
  public ConfigReload(
      Supplier<SlbConfig> source, SlbConfig running, Map<String, BackendChanges> frontends) {
    this.source = source;
    this.running = running;
    this.frontends = Map.copyOf(frontends);
  }

  /** Reloads; the answer lists what changed, one line each. Serialised: one reload at a time. */
  public synchronized String reload(String by) {
    SlbConfig next;
    Map<String, List<BackendSpec>> specs = new LinkedHashMap<>();
    try {
      next = source.get();
      for (FrontendConfig frontend : next.frontends()) {
        specs.put(frontend.name(), frontend.backendSpecs());
      }
    } catch (RuntimeException invalid) {
      log.warn("reload by {} refused, nothing changed: {}", by, invalid.getMessage());
      throw new IllegalArgumentException(
          "configuration not reloaded, nothing changed: " + invalid.getMessage(), invalid);
    }
    // With one frontend the lines say what they always said; with several each names its own.
    boolean several = running.frontends().size() > 1 || next.frontends().size() > 1;
    StringBuilder answer = new StringBuilder();
    specs.forEach(
        (name, wanted) -> {
          BackendChanges changes = frontends.get(name);
          if (changes != null) {
            String lines = apply(wanted, changes, by);
            answer.append(several ? lines.replaceAll("(?m)^(?=.)", name + ": ") : lines);
          }
        });
    List<String> notApplied = notApplied(next, several);
    if (!notApplied.isEmpty()) {
      answer.append("not applied, needs a restart: ").append(String.join(", ", notApplied));
      answer.append('\n');
      log.warn("reload by {}: not applied, needs a restart: {}", by, notApplied);
    }
    String text = answer.isEmpty() ? "no change\n" : answer.toString();
    log.info("configuration reloaded by {}: {}", by, text.strip().replace('\n', ';'));
    return "reloaded\n" + text;
  }

  /** Makes one frontend's pool what its backends now say; the lines of what changed. */
  private static String apply(List<BackendSpec> specs, BackendChanges changes, String by) {
    StringBuilder answer = new StringBuilder();
    Map<String, BackendSpec> wanted = new LinkedHashMap<>();
    for (BackendSpec spec : specs) {
      wanted.put(name(spec), spec);
    }
    BackendPool pool = changes.pool();
    // Down until rise is safe only while a kept backend carries the traffic meanwhile. A file
    // that replaces every backend would otherwise leave none in rotation until the new ones have
    // passed their checks: then they start as at start-up, UP until a check fails (HAProxy's
    // reload), unless their init-state says otherwise.
    boolean keptInRotation =
        pool.backends().stream().anyMatch(b -> b.inRotation() && wanted.containsKey(b.name()));
    // Additions first: the pool is never left without a backend in between.
    for (BackendSpec spec : wanted.values()) {
      Backend present = pool.find(name(spec));
      if (present == null) {
        if (!keptInRotation && spec.initState() == null) {
          spec = spec.withInitState(BackendState.UP);
        }
        answer.append(changes.add(spec, by));
      } else if (present.weight() != spec.weight()
          || present.maxConnections() != spec.maxConnections()
          || present.maxQueue() != spec.maxQueue()) {
        BackendSpec before = present.spec();
        present.respec(spec);
        pool.queue().rotationChanged();
        answer.append(
            present.name()
                + " weight "
                + before.weight()
                + " -> "
                + spec.weight()
                + ", maxconn "
                + before.maxConnections()
                + " -> "
                + spec.maxConnections()
                + ", maxqueue "
                + before.maxQueue()
                + " -> "
                + spec.maxQueue()
                + "\n");
      }
    }
    for (Backend backend : pool.backends()) {
      if (!wanted.containsKey(backend.name())) {
        answer.append(changes.remove(backend.name(), by));
      }
    }
    return answer.toString();
  }

  private List<String> notApplied(SlbConfig next, boolean several) {
    List<String> keys = new ArrayList<>();
    differs(keys, "instance", SlbConfig::instance, running, next);
    differs(keys, "admin", SlbConfig::admin, running, next);
    differs(keys, "shutdownSeconds", SlbConfig::shutdownSeconds, running, next);
    differs(keys, "transport", SlbConfig::transport, running, next);
    differs(keys, "runtimeApi", SlbConfig::runtimeApi, running, next);
    differs(keys, "runtimeApiLevel", SlbConfig::runtimeApiLevel, running, next);
    for (FrontendConfig now : running.frontends()) {
      FrontendConfig then = next.frontend(now.name());
      if (then == null) {
        keys.add("frontend " + now.name() + " removed");
        continue;
      }
      String prefix = several ? now.name() + " " : "";
      differs(keys, prefix + "listen", FrontendConfig::listen, now, then);
      differs(keys, prefix + "balance", FrontendConfig::balance, now, then);
      differs(keys, prefix + "proxyProtocol", FrontendConfig::proxyProtocol, now, then);
      differs(keys, prefix + "healthCheck", FrontendConfig::healthCheck, now, then);
      differs(keys, prefix + "maxConnections", FrontendConfig::maxConnections, now, then);
      differs(
          keys, prefix + "connectTimeoutMillis", FrontendConfig::connectTimeoutMillis, now, then);
      differs(keys, prefix + "idleTimeoutSeconds", FrontendConfig::idleTimeoutSeconds, now, then);
      differs(
          keys,
          prefix + "firstByteTimeoutSeconds",
          FrontendConfig::firstByteTimeoutSeconds,
          now,
          then);
      differs(keys, prefix + "queueTimeoutMillis", FrontendConfig::queueTimeoutMillis, now, then);
      differs(keys, prefix + "accessLog", FrontendConfig::accessLog, now, then);
    }
    for (FrontendConfig added : next.frontends()) {
      if (running.frontend(added.name()) == null) {
        keys.add("frontend " + added.name() + " added");
      }
    }
    return keys;
  }

  private static <C, T> void differs(
      List<String> keys, String key, Function<C, T> value, C running, C next) {
    if (!Objects.equals(value.apply(running), value.apply(next))) {
      keys.add(key);
    }
  }

  private static String name(BackendSpec spec) {
    return spec.address().getHostString() + ":" + spec.address().getPort();
  }
}
