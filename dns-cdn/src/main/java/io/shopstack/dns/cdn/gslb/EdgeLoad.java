package io.shopstack.dns.cdn.gslb;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load-aware weights: each edge's reported load (its open client connections, read from its admin
 * {@code /metrics}) turns its configured weight into one that sheds new clients as it fills up, so
 * a hot edge gets fewer clients before it falls over. An edge at load L gets {@code weight x max(1,
 * 10 x (1 - L / capacity))}: ten steps from idle to full, never zero (a full edge that is healthy
 * still serves, like an overloaded region still does). The step moves only when the load has moved
 * a whole step (a tenth of capacity) away from it: hysteresis, so an edge whose load wobbles around
 * a boundary does not flip answers back and forth. An edge whose load cannot be read keeps its last
 * step (its health checks decide whether it serves at all).
 */
final class EdgeLoad implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EdgeLoad.class);
  static final int STEPS = 10;

  private final GslbSettings.LoadSettings settings;
  private final int timeoutMillis;
  private final MeterRegistry registry;
  private final ScheduledExecutorService reader;
  private final WatchedEdges<EdgeState> states = new WatchedEdges<>();
  private final AtomicLong epoch = new AtomicLong();

  private static final class EdgeState {
    final Edge edge;
    final URI metrics;
    volatile int step = STEPS; // unknown load counts as idle
    volatile double load = Double.NaN;
    volatile String lastFailure;

    EdgeState(Edge edge) {
      this.edge = edge;
      this.metrics = edge.health().resolve("/metrics");
    }
  }

  EdgeLoad(
      GslbSettings.LoadSettings settings,
      int timeoutMillis,
      MeterRegistry registry,
      String instance) {
    this.settings = settings;
    this.timeoutMillis = timeoutMillis;
    this.registry = registry;
    this.reader =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, instance + "-edge-load");
              t.setDaemon(true);
              return t;
            });
  }

  /** The step for {@code load}, moved from {@code current} only by whole steps (hysteresis). */
  static int step(int current, double load, double capacity) {
    double raw = Math.max(1, Math.min(STEPS, STEPS * (1 - load / capacity)));
    return Math.abs(raw - current) >= 1 ? (int) Math.round(raw) : current;
  }

  synchronized void watch(Collection<Edge> edges) {
    states.watch(
        edges,
        edge -> {
          EdgeState state = new EdgeState(edge);
          Gauge.builder("gslb_edge_load", state, s -> s.load)
              .description("the load the edge last reported (NaN: not read yet)")
              .tag("edge", edge.name())
              .register(registry);
          Gauge.builder("gslb_edge_weight", this, l -> l.weight(edge))
              .description("the edge's weight now: configured weight x load step (1 to 10)")
              .tag("edge", edge.name())
              .register(registry);
          return state;
        },
        state ->
            reader.scheduleWithFixedDelay(
                () -> read(state), 0, settings.intervalMillis(), TimeUnit.MILLISECONDS));
    epoch.incrementAndGet();
  }

  private void read(EdgeState state) {
    MetricsProbe.Reading reading =
        MetricsProbe.read(state.metrics, settings.metric(), timeoutMillis);
    if (!reading.ok()) {
      state.lastFailure = reading.failure();
      return;
    }
    state.lastFailure = null;
    state.load = reading.load();
    int next = step(state.step, reading.load(), settings.capacity());
    if (next != state.step) {
      log.info(
          "edge {} load {}: weight step {} -> {}",
          state.edge.name(),
          reading.load(),
          state.step,
          next);
      state.step = next;
      epoch.incrementAndGet();
    }
  }

  int weight(Edge edge) {
    EdgeState state = states.get(edge.name());
    return edge.weight() * (state == null ? STEPS : state.step);
  }

  long epoch() {
    return epoch.get();
  }

  /** For the admin's view: " load L weight W", and why the last read failed if it did. */
  String describe(Edge edge) {
    EdgeState state = states.get(edge.name());
    if (state == null) {
      return "";
    }
    return " load "
        + (Double.isNaN(state.load) ? "unknown" : String.valueOf(Math.round(state.load)))
        + " weight now "
        + weight(edge)
        + (state.lastFailure == null ? "" : " (last load read failed: " + state.lastFailure + ")");
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }
}
