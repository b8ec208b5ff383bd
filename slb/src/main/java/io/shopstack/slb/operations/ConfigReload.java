package io.shopstack.slb.operations;

import io.shopstack.slb.Frontend;
import io.shopstack.slb.FrontendConfig;
import io.shopstack.slb.FrontendSockets;
import io.shopstack.slb.SlbConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
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
 * A reload of the configuration file inside the running SLB (SIGHUP, {@code POST /reload}, the
 * runtime API's {@code reload}): the file is read again and the SLB made what it says. First
 * whatever must be bound is: the listen addresses a frontend gained and the frontends the file adds
 * (their checks started); if one cannot be (in use, or still another frontend's), all of that is
 * closed again and nothing changes. Then frontends the file no longer has stop accepting while
 * their splices finish, the added ones join, and each kept frontend takes its new keys (listen
 * addresses it lost are closed; balance, PROXY header, timeouts, access log and maxconn apply to
 * the clients accepted from now on; the checks take the new schedule at once) and has its backends
 * compared with its pool: new ones are added (DOWN until their checks pass, or their {@code
 * init-state}; UP until a check fails when no kept backend is in rotation to carry the traffic
 * meanwhile), removed ones leave the pool while their open splices finish, changed weights,
 * maxconns and maxqueues are applied. Established connections are never touched and keep the
 * settings they started with, as those of HAProxy's old process do; {@code shutdownSeconds} holds
 * for the next stop. What is the SLB's own identity and ports (instance, admin, transport, runtime
 * API) needs a restart, or the reload as a new process (README, "Reload"): the answer names each
 * key that changed and was left as it is. A file that does not load changes nothing.
 */
public final class ConfigReload {
  private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

  /** The running SLB as a reload changes it: its frontends and its shutdown deadline. */
  public interface RunningSlb {
    /** The running frontends, in the order they were configured or added. */
    List<Frontend> running();

    /**
     * How many connections a frontend of that name, removed by an earlier reload, still has open (0
     * when there is none): its series are on /metrics until they end, so a frontend of the same
     * name cannot be added meanwhile.
     */
    int draining(String name);

    /**
     * A new frontend with its checks started and its addresses bound, not accepting yet; when it
     * cannot be opened, nothing of it is left open.
     */
    Frontend open(FrontendConfig config) throws InterruptedException;

    /** Makes an opened frontend one of the running, accepting clients. */
    void add(Frontend frontend);

    /** Closes a frontend a refused reload had opened: it never ran. */
    void discard(Frontend frontend);

    /**
     * Stops a running frontend accepting (the file no longer has it); its open splices finish.
     * Returns how many were open.
     */
    int retire(Frontend frontend);

    /** How long a stop from now on lets open splices run ({@code shutdownSeconds}). */
    void shutdownDeadline(Duration deadline);
  }

  private final Supplier<SlbConfig> source;
  private final RunningSlb slb;
  private final SlbConfig running;
  private Duration shutdown; // as the last reload left it

  /**
   * @param source reads the configuration again (file and environment), throwing when it is invalid
   * @param running the configuration the SLB was started with, for the keys a reload cannot apply
   * @param slb the running SLB, whose frontends and shutdown deadline a reload changes
   */
  public ConfigReload(Supplier<SlbConfig> source, SlbConfig running, RunningSlb slb) {
    this.source = source;
    this.running = running;
    this.slb = slb;
    this.shutdown = running.shutdownDeadline();
  }

  /** Reloads; the answer lists what changed, one line each. Serialised: one reload at a time. */
  public synchronized String reload(String by) {
    List<Frontend> before = slb.running();
    SlbConfig next;
    Map<Frontend, List<FrontendSockets.Listening>> bound = new LinkedHashMap<>();
    List<Frontend> opened = new ArrayList<>();
    List<String> notYet = new ArrayList<>();
    try {
      next = source.get();
      next.frontends().forEach(FrontendConfig::backendSpecs); // each one parses, or nothing moves
      checkNoAddressMoves(next, before);
      for (Frontend frontend : before) {
        FrontendConfig then = next.frontend(frontend.name());
        if (then != null) {
          bound.put(frontend, frontend.bindAdded(then));
        }
      }
      for (FrontendConfig then : next.frontends()) {
        if (named(before, then.name()) != null) {
          continue;
        }
        int draining = slb.draining(then.name());
        if (draining > 0) {
          notYet.add(
              "frontend "
                  + then.name()
                  + " not added yet: the one removed under that name still finishes "
                  + draining
                  + " connections; reload again once they have ended");
        } else {
          opened.add(slb.open(then));
        }
      }
    } catch (RuntimeException | InterruptedException invalid) {
      bound.values().forEach(Frontend::unbind);
      opened.forEach(slb::discard);
      if (invalid instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("reload by {} refused, nothing changed: {}", by, invalid.getMessage());
      throw new IllegalArgumentException(
          "configuration not reloaded, nothing changed: " + invalid.getMessage(), invalid);
    }
    StringBuilder answer = new StringBuilder();
    try {
      apply(next, before, bound, opened, answer, by);
    } finally {
      // Left only when a step above threw (the SLB stopping under the reload): what was bound
      // for it and not put to use is closed, not left accepting for no frontend.
      bound.values().forEach(Frontend::unbind);
      opened.forEach(slb::discard);
    }
    notYet.forEach(line -> answer.append(line).append('\n'));
    List<String> notApplied = notApplied(next);
    if (!notApplied.isEmpty()) {
      answer.append("not applied, needs a restart: ").append(String.join(", ", notApplied));
      answer.append('\n');
      log.warn("reload by {}: not applied, needs a restart: {}", by, notApplied);
    }
    String text = answer.isEmpty() ? "no change\n" : answer.toString();
    log.info("configuration reloaded by {}: {}", by, text.strip().replace('\n', ';'));
    return "reloaded\n" + text;
  }

  /**
   * The second step, once nothing can refuse the file: removes, reconfigures and adds frontends and
   * applies the shutdown deadline. Takes out of {@code bound} and {@code opened} what it puts to
   * use.
   */
  private void apply(
      SlbConfig next,
      List<Frontend> before,
      Map<Frontend, List<FrontendSockets.Listening>> bound,
      List<Frontend> opened,
      StringBuilder answer,
      String by) {
    // With one frontend the lines say what they always said; with several each names its own.
    boolean several = before.size() > 1 || next.frontends().size() > 1;
    for (Frontend frontend : before) {
      FrontendConfig then = next.frontend(frontend.name());
      if (then == null) {
        int open = slb.retire(frontend);
        answer.append(
            "frontend "
                + frontend.name()
                + " removed, "
                + open
                + " connections open finish on it\n");
        continue;
      }
      StringBuilder lines = new StringBuilder();
      frontend.reconfigure(then, bound.remove(frontend)).forEach(l -> lines.append(l).append('\n'));
      lines.append(PoolReload.apply(then.backendSpecs(), frontend.changes(), by));
      answer.append(
          several ? lines.toString().replaceAll("(?m)^(?=.)", frontend.name() + ": ") : lines);
    }
    while (!opened.isEmpty()) {
      Frontend frontend = opened.remove(0);
      slb.add(frontend);
      answer.append(
          "frontend "
              + frontend.name()
              + " added, listening on "
              + frontend.config().listen()
              + ", backends "
              + frontend.config().backends()
              + "\n");
    }
    if (!next.shutdownDeadline().equals(shutdown)) {
      slb.shutdownDeadline(next.shutdownDeadline());
      answer.append(
          "shutdownSeconds " + shutdown.toSeconds() + " -> " + next.shutdownSeconds() + "\n");
      shutdown = next.shutdownDeadline();
    }
  }

  private static Frontend named(List<Frontend> frontends, String name) {
    return frontends.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * Refuses an address one frontend gains while another still listens on it: bound beside it
   * (SO_REUSEPORT) the kernel would spread its clients over both pools until the other let go.
   */
  private static void checkNoAddressMoves(SlbConfig next, List<Frontend> running) {
    for (FrontendConfig then : next.frontends()) {
      for (InetSocketAddress address : then.listenAddresses()) {
        for (Frontend other : running) {
          if (!other.name().equals(then.name()) && other.listensOn(address)) {
            throw new IllegalArgumentException(
                "slb: frontend "
                    + then.name()
                    + " would listen on "
                    + address.getHostString()
                    + ":"
                    + address.getPort()
                    + ", which frontend "
                    + other.name()
                    + " listens on until then; move an address between frontends by a restart"
                    + " or the reload as a new process");
          }
        }
      }
    }
  }

  private List<String> notApplied(SlbConfig next) {
    List<String> keys = new ArrayList<>();
    differs(keys, "instance", SlbConfig::instance, running, next);
    differs(keys, "admin", SlbConfig::admin, running, next);
    differs(keys, "transport", SlbConfig::transport, running, next);
    differs(keys, "runtimeApi", SlbConfig::runtimeApi, running, next);
    differs(keys, "runtimeApiLevel", SlbConfig::runtimeApiLevel, running, next);
    return keys;
  }

  private static <C, T> void differs(
      List<String> keys, String key, Function<C, T> value, C running, C next) {
    if (!Objects.equals(value.apply(running), value.apply(next))) {
      keys.add(key);
    }
  }
}
