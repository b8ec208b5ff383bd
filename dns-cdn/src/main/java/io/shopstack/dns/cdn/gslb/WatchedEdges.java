package io.shopstack.dns.cdn.gslb;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * The per-edge state of one periodic job of the GSLB (health checks, load reads), kept in step with
 * the edge list across reloads: an edge that is gone or changed loses its state and its schedule, a
 * new one gets fresh state and its schedule, the others keep what their job has learnt.
 *
 * @param <S> what the job keeps per edge
 */
final class WatchedEdges<S> {
  private record Watched<S>(Edge edge, S state, ScheduledFuture<?> schedule) {}

  private final Map<String, Watched<S>> watched = new ConcurrentHashMap<>();

  /**
   * Watches exactly {@code edges} from now on. For each new (or changed) edge, {@code create} makes
   * its state and {@code schedule} starts its job (null: no job).
   */
  synchronized void watch(
      Collection<Edge> edges, Function<Edge, S> create, Function<S, ScheduledFuture<?>> schedule) {
    Map<String, Edge> wanted = new ConcurrentHashMap<>();
    edges.forEach(e -> wanted.put(e.name(), e));
    watched
        .values()
        .removeIf(
            w -> {
              boolean gone = !w.edge().equals(wanted.get(w.edge().name()));
              if (gone && w.schedule() != null) {
                w.schedule().cancel(false);
              }
              return gone;
            });
    for (Edge edge : wanted.values()) {
      if (!watched.containsKey(edge.name())) {
        S state = create.apply(edge);
        watched.put(edge.name(), new Watched<>(edge, state, schedule.apply(state)));
      }
    }
  }

  /** The state of the edge called {@code name}, or null when it is not watched. */
  S get(String name) {
    Watched<S> w = watched.get(name);
    return w == null ? null : w.state();
  }

  boolean contains(String name) {
    return watched.containsKey(name);
  }

  Collection<S> states() {
    return watched.values().stream().map(Watched::state).toList();
  }
}
