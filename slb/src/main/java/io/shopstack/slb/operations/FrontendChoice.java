package io.shopstack.slb.operations;

import java.util.List;
import java.util.Map;

/**
 * Which running frontend's pool an operator's command acts on, for the runtime API ({@code
 * [FRONTEND/]HOST:PORT}) and the admin port ({@code /backends/[FRONTEND/]HOST:PORT/...}) alike: the
 * frontend named, else the only frontend, else (where the caller allows it) the only frontend with
 * that backend.
 */
public final class FrontendChoice {
  private FrontendChoice() {}

  /**
   * @param running each running frontend's changes by its name, in order
   * @param frontend the name given, or null when the command left it out
   * @param backend the {@code host:port} the command names
   * @param byBackend whether a backend only one frontend has may be named without its frontend
   * @throws IllegalArgumentException naming the frontends to choose from
   */
  public static BackendChanges of(
      Map<String, BackendChanges> running, String frontend, String backend, boolean byBackend) {
    String names = String.join(", ", running.keySet());
    if (frontend != null) {
      BackendChanges named = running.get(frontend);
      if (named == null) {
        throw new IllegalArgumentException("no frontend " + frontend + "; there are " + names);
      }
      return named;
    }
    if (running.size() == 1) {
      return running.values().iterator().next(); // its "no backend ... in frontend ..." says it
    }
    if (byBackend) {
      List<BackendChanges> having =
          running.values().stream().filter(c -> c.pool().find(backend) != null).toList();
      if (having.size() == 1) {
        return having.get(0);
      }
      if (having.isEmpty()) {
        throw new IllegalArgumentException("no backend " + backend + " in any frontend");
      }
    }
    throw new IllegalArgumentException(
        "name the frontend, FRONTEND/" + backend + ", one of " + names);
  }
}
