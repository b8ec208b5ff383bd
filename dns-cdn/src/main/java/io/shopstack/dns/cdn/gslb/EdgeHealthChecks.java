package io.shopstack.dns.cdn.gslb;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health of every edge, HAProxy style: each edge's {@code /health} is probed every interval;
 * {@code fall} failures in a row take it out of answers, {@code rise} passes in a row bring it
 * back. An edge starts up (the GSLB may start before its edges, and failing open at start would
 * send every client everywhere). A drained edge is out of answers at once, until undrained,
 * whatever its checks say. Checks run on one thread of their own, so a slow edge delays only other
 * checks, never an answer.
 */
public final class EdgeHealthChecks implements EdgeHealth, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EdgeHealthChecks.class);

  private final GslbSettings.HealthCheckSettings settings;
  private final MeterRegistry registry;
  private final ScheduledExecutorService checker;
  private final WatchedEdges<EdgeState> states = new WatchedEdges<>();
  private final Set<String> drained = ConcurrentHashMap.newKeySet();
  private final AtomicLong epoch = new AtomicLong();
  private final EdgeLoad load;

  /** What is known of one edge; touched only by the checker thread, read by every query. */
  private static final class EdgeState {
    final Edge edge;
    volatile boolean up = true;
    volatile String lastFailure;
    int passes;
    int failures;
    final Counter passed;
    final Counter failed;

    EdgeState(Edge edge, MeterRegistry registry) {
      this.edge = edge;
      this.passed = registry.counter("gslb_edge_checks", "edge", edge.name(), "result", "pass");
      this.failed = registry.counter("gslb_edge_checks", "edge", edge.name(), "result", "fail");
    }
  }

  /**
   * @param load load-aware weights, read from each edge's {@code /metrics} on a thread of their own
   *     (a slow page must not delay health checks); off: configured weights
   */
  public EdgeHealthChecks(
      GslbSettings.HealthCheckSettings settings,
      GslbSettings.LoadSettings load,
      MeterRegistry registry,
      String instance) {
    this.settings = settings;
    this.registry = registry;
    this.load =
        load.on() ? new EdgeLoad(load, (int) settings.timeoutMillis(), registry, instance) : null;
    this.checker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, instance + "-health-checks");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Checks exactly {@code edges} from now on: new ones start up, ones gone are no longer checked,
   * the others keep their state (a reload does not reset what the checks learnt).
   */
  public synchronized void watch(Collection<Edge> edges) {
    states.watch(
        edges,
        edge -> {
          Gauge.builder("gslb_edge_up", this, h -> h.status(edge) == EdgeStatus.UP ? 1 : 0)
              .description("1 while the edge is answered: its checks pass and it is not drained")
              .tag("edge", edge.name())
              .register(registry);
          return new EdgeState(edge, registry);
        },
        state ->
            settings.intervalMillis() > 0
                ? checker.scheduleWithFixedDelay(
                    () -> check(state), 0, settings.intervalMillis(), TimeUnit.MILLISECONDS)
                : null);
    if (load != null) {
      load.watch(edges);
    }
    epoch.incrementAndGet();
  }

  private void check(EdgeState state) {
    String failure = HealthProbe.check(state.edge.health(), (int) settings.timeoutMillis());
    // Counted before the status it leads to is set: whoever sees the new status also sees the
    // count of the check that set it.
    if (failure == null) {
      state.passed.increment();
      state.failures = 0;
      state.passes++;
      if (!state.up && state.passes >= settings.rise()) {
        state.up = true;
        transition(state, "up", "passed " + state.passes + " checks in a row");
      }
    } else {
      state.failed.increment();
      state.passes = 0;
      state.failures++;
      state.lastFailure = failure;
      if (state.up && state.failures >= settings.fall()) {
        state.up = false;
        transition(state, "down", "failed " + state.failures + " checks in a row: " + failure);
      }
    }
  }

  private void transition(EdgeState state, String to, String why) {
    epoch.incrementAndGet(); // after the flag flipped: a decision of the new epoch sees it
    log.info("edge {} is {}: {} ({})", state.edge.name(), to, why, state.edge.health());
    registry.counter("gslb_edge_transitions", "edge", state.edge.name(), "to", to).increment();
  }

  @Override
  public EdgeStatus status(Edge edge) {
    if (drained.contains(edge.name())) {
      return EdgeStatus.DRAINED;
    }
    EdgeState state = states.get(edge.name());
    return state == null || state.up ? EdgeStatus.UP : EdgeStatus.DOWN;
  }

  /** Moves with every status change and, when load-aware, every weight change. */
  @Override
  public long epoch() {
    return epoch.get() + (load == null ? 0 : load.epoch());
  }

  @Override
  public int weight(Edge edge) {
    return load == null ? edge.weight() : load.weight(edge);
  }

  /** Takes the edge out of answers now (maintenance); false when there is no such edge. */
  public boolean drain(String edge) {
    if (!states.contains(edge)) {
      return false;
    }
    drained.add(edge);
    epoch.incrementAndGet();
    log.info("edge {} drained: out of answers until undrained", edge);
    return true;
  }

  /** Puts a drained edge back; it is answered again if its checks pass. */
  public boolean undrain(String edge) {
    if (!states.contains(edge)) {
      return false;
    }
    drained.remove(edge);
    epoch.incrementAndGet();
    log.info("edge {} undrained", edge);
    return true;
  }

  /** One line per edge: status, and the last failed check if any (the admin's view). */
  public String report() {
    StringBuilder out = new StringBuilder();
    states.states().stream()
        .sorted((a, b) -> a.edge.name().compareTo(b.edge.name()))
        .forEach(
            s ->
                out.append(s.edge.name())
                    .append(' ')
                    .append(s.edge.address().getHostAddress())
                    .append(" region ")
                    .append(s.edge.region())
                    .append(" weight ")
                    .append(s.edge.weight())
                    .append(' ')
                    .append(status(s.edge).name().toLowerCase())
                    .append(load == null ? "" : load.describe(s.edge))
                    .append(
                        s.lastFailure == null ? "" : " (last failed check: " + s.lastFailure + ")")
                    .append('\n'));
    return out.toString();
  }

  @Override
  public void close() {
    checker.shutdownNow();
    if (load != null) {
      load.close();
    }
  }
}
