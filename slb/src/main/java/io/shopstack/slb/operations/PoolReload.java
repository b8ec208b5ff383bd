package io.shopstack.slb.operations;

import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.BackendSpec;
import io.shopstack.slb.backend.BackendState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One frontend's backends, as a reloaded file lists them, compared with its running pool by {@code
 * host:port}: new ones added, missing ones removed while their open splices finish, changed
 * weights, maxconns and maxqueues applied ({@link ConfigReload}'s last step for each frontend).
 */
final class PoolReload {
  private PoolReload() {}

  /** Makes one frontend's pool what its backends now say; the lines of what changed. */
  static String apply(List<BackendSpec> specs, BackendChanges changes, String by) {
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
        BackendSpec adding =
            !keptInRotation && spec.initState() == null
                ? spec.withInitState(BackendState.UP)
                : spec;
        answer.append(refusedAs(name(spec) + " not added", () -> changes.add(adding, by)));
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
        answer.append(
            refusedAs(backend.name() + " not removed", () -> changes.remove(backend.name(), by)));
      }
    }
    return answer.toString();
  }

  /**
   * One backend's change, or the line saying it was refused: the runtime API may have added or
   * removed that backend in the meantime, and the rest of the reload goes on.
   */
  private static String refusedAs(String what, Supplier<String> change) {
    try {
      return change.get();
    } catch (IllegalArgumentException refused) {
      return what + ": " + refused.getMessage() + "\n";
    }
  }

  private static String name(BackendSpec spec) {
    return spec.address().getHostString() + ":" + spec.address().getPort();
  }
}
