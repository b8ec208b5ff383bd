package io.shopstack.slb;

import io.shopstack.common.admin.AdminAction;
import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.operations.BackendChanges;
import io.shopstack.slb.operations.ConfigReload;
import io.shopstack.slb.operations.FrontendChoice;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator's levers on the admin port: HAProxy's {@code set server <backend> state
 * ready|drain|maint} as {@code POST /backends/<host:port>/drain} (and {@code /maint}, {@code
 * /ready}), and {@code POST /reload} of the configuration file. Drain and maint take the backend
 * out of rotation for new connections while the open ones finish; maint also stops its checks, so
 * coming back it must pass {@code rise} of them first. A backend is also named with its frontend,
 * {@code /backends/<frontend>/<host:port>/drain}, which is the only way when two frontends have the
 * same {@code host:port}. Paths are resolved against the running frontends and pools at each
 * request, so backends and frontends a reload or the runtime API added are steered here too.
 */
final class BackendAdmin {
  private BackendAdmin() {}

  static Map<String, AdminAction> actions(
      Supplier<Map<String, BackendChanges>> frontends, ConfigReload reload) {
    Map<String, AdminAction> actions = new LinkedHashMap<>();
    actions.put("/backends/*", new Steering(frontends));
    if (reload != null) {
      actions.put("/reload", () -> refusedAs(400, () -> reload.reload("the admin port")));
    }
    return actions;
  }

  /** {@code POST /backends/[<frontend>/]<host:port>/<state>}. */
  private record Steering(Supplier<Map<String, BackendChanges>> frontends) implements AdminAction {
    @Override
    public Result run() {
      return new Result(404, "name a backend: /backends/[FRONTEND/]HOST:PORT/ready|drain|maint\n");
    }

    @Override
    public Result run(Map<String, String> parameters) {
      String[] words = parameters.getOrDefault(REST_OF_PATH, "").split("/", -1);
      if (words.length < 2 || words.length > 3) {
        return run();
      }
      String backend = words[words.length - 2];
      return refusedAs(
          404,
          () ->
              FrontendChoice.of(frontends.get(), words.length == 3 ? words[0] : null, backend, true)
                  .state(backend, AdminState.of(words[words.length - 1]), "the admin port"));
    }
  }

  private static AdminAction.Result refusedAs(int status, Supplier<String> change) {
    try {
      return AdminAction.Result.ok(change.get());
    } catch (IllegalArgumentException refused) {
      return new AdminAction.Result(status, refused.getMessage() + "\n");
    }
  }
}
