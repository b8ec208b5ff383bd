package io.shopstack.slb;

import io.shopstack.common.admin.AdminAction;
import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.operations.BackendChanges;
import io.shopstack.slb.operations.ConfigReload;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's levers on the admin port: HAProxy's {@code set server <backend> state
 * ready|drain|maint} as {@code POST /backends/<host:port>/drain} (and {@code /maint}, {@code
 * /ready}), and {@code POST /reload} of the configuration file. Drain and maint take the backend
 * out of rotation for new connections while the open ones finish; maint also stops its checks, so
 * coming back it must pass {@code rise} of them first. The admin port's paths are fixed at start:
 * backends added later are steered through the runtime API.
 */
final class BackendAdmin {
  private BackendAdmin() {}

  static Map<String, AdminAction> actions(
      BackendPool pool, BackendChanges changes, ConfigReload reload) {
    Map<String, AdminAction> actions = new LinkedHashMap<>();
    for (Backend backend : pool.backends()) {
      for (AdminState state : AdminState.values()) {
        actions.put(
            "/backends/" + backend.name() + "/" + state.label(),
            () -> refusedAs(404, () -> changes.state(backend.name(), state, "the admin port")));
      }
    }
    if (reload != null) {
      actions.put("/reload", () -> refusedAs(400, () -> reload.reload("the admin port")));
    }
    return actions;
  }

  private static AdminAction.Result refusedAs(
      int status, java.util.function.Supplier<String> change) {
    try {
      return AdminAction.Result.ok(change.get());
    } catch (IllegalArgumentException refused) {
      return new AdminAction.Result(status, refused.getMessage() + "\n");
    }
  }
}
