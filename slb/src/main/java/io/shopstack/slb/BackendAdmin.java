package io.shopstack.slb;

import io.shopstack.common.admin.AdminAction;
import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.operations.BackendChanges;
import io.shopstack.slb.operations.ConfigReload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The operator's levers on the admin port: HAProxy's {@code set server <backend> state
 * ready|drain|maint} as {@code POST /backends/<host:port>/drain} (and {@code /maint}, {@code
 * /ready}), and {@code POST /reload} of the configuration file. Drain and maint take the backend
 * out of rotation for new connections while the open ones finish; maint also stops its checks, so
 * coming back it must pass {@code rise} of them first. A backend is also named with its frontend,
 * {@code /backends/<frontend>/<host:port>/drain}, which is the only way when two frontends have the
 * same {@code host:port}. The admin port's paths are fixed at start: backends added later are
 * steered through the runtime API.
 */
final class BackendAdmin {
  private BackendAdmin() {}

  static Map<String, AdminAction> actions(List<Frontend> frontends, ConfigReload reload) {
    Map<String, AdminAction> actions = new LinkedHashMap<>();
    Map<String, Long> frontendsOf =
        frontends.stream()
            .flatMap(f -> f.backends().backends().stream())
            .collect(Collectors.groupingBy(Backend::name, Collectors.counting()));
    for (Frontend frontend : frontends) {
      BackendChanges changes = frontend.changes();
      for (Backend backend : frontend.backends().backends()) {
        for (AdminState state : AdminState.values()) {
          AdminAction action =
              () -> refusedAs(404, () -> changes.state(backend.name(), state, "the admin port"));
          String path = backend.name() + "/" + state.label();
          actions.put("/backends/" + frontend.name() + "/" + path, action);
          if (frontendsOf.get(backend.name()) == 1) {
            actions.put("/backends/" + path, action);
          }
        }
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
