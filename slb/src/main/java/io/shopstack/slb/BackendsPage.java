package io.shopstack.slb;

import io.shopstack.common.admin.AdminAction;
import io.shopstack.common.admin.AdminPage;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.health.BackendHealth;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /backends} on the admin port: every frontend with its backends as HAProxy's stats page
 * shows them: state by the checks and by the operator, weight, maxconn, maxqueue, connections open
 * and in all, connect failures, bytes each way, the last failed check and the last state changes
 * with their reasons. It reads what the SLB already holds, so it is cheap enough to poll.
 */
final class BackendsPage implements AdminPage {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  record Page(List<FrontendView> frontends) {}

  record FrontendView(
      String name,
      List<String> listen,
      String balance,
      String proxyProtocol,
      int maxConnections,
      List<BackendView> backends) {}

  record BackendView(
      String name,
      String state,
      String admin,
      boolean inRotation,
      int weight,
      int maxConnections,
      int maxQueue,
      int activeConnections,
      int queued,
      long connections,
      long connectFailures,
      long bytesFromClients,
      long bytesToClients,
      String lastFailure,
      List<Change> history) {}

  /** One state change; the time as ISO-8601 text. */
  record Change(String at, String to, String reason) {}

  private final List<Frontend> frontends;

  BackendsPage(List<Frontend> frontends) {
    this.frontends = frontends;
  }

  @Override
  public AdminAction.Result render(Map<String, String> parameters) {
    Page page = new Page(frontends.stream().map(BackendsPage::view).toList());
    return AdminAction.Result.ok(JSON.writeValueAsString(page) + "\n");
  }

  private static FrontendView view(Frontend frontend) {
    return new FrontendView(
        frontend.name(),
        frontend.listenAddresses().stream()
            .map(a -> a.getHostString() + ":" + a.getPort())
            .toList(),
        frontend.config().balance(),
        frontend.config().proxyProtocol(),
        frontend.config().maxConnections(),
        frontend.backends().backends().stream().map(b -> view(frontend, b)).toList());
  }

  /** Null when it left the pool between the listing and now. */
  private static BackendHealth healthOf(Frontend frontend, Backend backend) {
    try {
      return frontend.healthChecks().of(backend);
    } catch (IllegalArgumentException removed) {
      return null;
    }
  }

  private static BackendView view(Frontend frontend, Backend backend) {
    BackendHealth health = healthOf(frontend, backend);
    return new BackendView(
        backend.name(),
        backend.state().name(),
        backend.adminState().label(),
        backend.inRotation(),
        backend.weight(),
        backend.maxConnections(),
        backend.maxQueue(),
        backend.activeConnections(),
        frontend.backends().queue().waitingFor(backend),
        frontend.traffic().connections(backend),
        frontend.traffic().connectFailures(backend),
        backend.bytesFromClients(),
        backend.bytesToClients(),
        health == null ? "" : health.lastFailure(),
        health == null
            ? List.of()
            : health.history().stream()
                .map(t -> new Change(t.at().toString(), t.to().name(), t.reason()))
                .toList());
  }
}
