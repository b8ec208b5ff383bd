package io.shopstack.slb;

import io.shopstack.common.admin.AdminAction;
import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.health.HealthChecker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's levers on the admin port, HAProxy's {@code set server <backend> state
 * ready|drain|maint}: {@code POST /backends/<host:port>/drain} (and {@code /maint}, {@code
 * /ready}). Drain and maint take the backend out of rotation for new connections while the open
 * ones finish; maint also stops its checks, so coming back it must pass {@code rise} of them first.
 */
final class BackendAdmin {
  private static final Logger log = LoggerFactory.getLogger(BackendAdmin.class);

  private BackendAdmin() {}

  static Map<String, AdminAction> actions(BackendPool pool, HealthChecker checks) {
    Map<String, AdminAction> actions = new LinkedHashMap<>();
    for (Backend backend : pool.backends()) {
      for (AdminState state : AdminState.values()) {
        actions.put(
            "/backends/" + backend.name() + "/" + state.label(),
            () -> set(pool, checks, backend, state));
      }
    }
    return actions;
  }

  private static AdminAction.Result set(
      BackendPool pool, HealthChecker checks, Backend backend, AdminState state) {
    AdminState before = backend.adminState();
    if (before == AdminState.MAINT && state != AdminState.MAINT) {
      checks.maintenanceEnded(backend); // unchecked while in maint: prove it again first
    }
    pool.adminState(backend, state);
    log.info("backend {} set to {} on the admin port (was {})", backend.name(), state, before);
    return AdminAction.Result.ok(
        backend.name()
            + " "
            + state.label()
            + " (was "
            + before.label()
            + "), "
            + backend.state()
            + ", "
            + backend.activeConnections()
            + " connections open\n");
  }
}
