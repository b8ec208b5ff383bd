package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.slb.backend.Backend;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload of the configuration file inside the running SLB ({@code POST /reload}; SIGHUP does the
 * same, see {@link SighupReloadTest}): the pools are compared, a removed backend's open splice
 * flows on until it ends, new connections reach only the new set, a new backend joins once its
 * checks pass, and a file that does not load changes nothing.
 */
class ConfigReloadTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir Path dir;

  /** The file an operator edits: the given backends and balance, fast checks. */
  static String file(String balance, String... backends) {
    return """
        instance: slb-reload
        listen: ["127.0.0.1:0"]
        backends: [%s]
        admin: "127.0.0.1:0"
        connectTimeoutMillis: 1000
        idleTimeoutSeconds: 300
        shutdownSeconds: 1
        balance: %s
        proxyProtocol: none
        healthCheck: {type: tcp, intervalMillis: 100, rise: 2, fall: 3}
        """
        .formatted(
            String.join(", ", Arrays.stream(backends).map(b -> '"' + b + '"').toList()), balance);
  }

  private static HttpResponse<String> reload(SlbServer slb) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slb.adminPort() + "/reload"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theReloadedPoolTakesNewClientsWhileTheRemovedBackendsSpliceFlowsOn() throws Exception {
    Path config = dir.resolve("slb.yml");
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2");
        var order3 = TcpBackends.namedEcho("order-3")) {
      try (SlbServer slb =
          SlbConfigs.startFromFile(
              config, file("roundrobin", order1.hostPort(), order2.hostPort()))) {
        InetSocketAddress vip = slb.listenAddresses().get(0);
        Backend backend1 = slb.backends().find(order1.hostPort());
        try (NamedSession first = new NamedSession(vip);
            NamedSession second = new NamedSession(vip)) {
          NamedSession onOrder1 = first.backend.equals("order-1") ? first : second;
          assertThat(onOrder1.backend).isEqualTo("order-1");

          Files.writeString(
              config, file("leastconn", order2.hostPort() + " weight=3", order3.hostPort()));
          var reloaded = reload(slb);
          assertThat(reloaded.statusCode()).isEqualTo(200);
          assertThat(reloaded.body())
              .isEqualTo(
                  "reloaded\n"
                      + "balance roundrobin -> leastconn\n"
                      + order2.hostPort()
                      + " weight 1 -> 3, maxconn 0 -> 0, maxqueue 0 -> 0\n"
                      + order3.hostPort()
                      + " added, DOWN, in rotation once its checks pass, weight 1\n"
                      + order1.hostPort()
                      + " removed, 1 connections open finish on it\n");

          await().atMost(BOUND).until(() -> slb.backends().find(order3.hostPort()).inRotation());
          assertThat(NamedSession.backendsOfNewSessions(vip, 12))
              .containsOnly("order-2", "order-3")
              .contains("order-2", "order-3");
          assertThat(onOrder1.echo("still flowing")).isEqualTo("still flowing");
          assertThat(backend1.activeConnections()).isEqualTo(1);
          assertThat(slb.backends().find(order2.hostPort()).weight()).isEqualTo(3);

          assertThat(reload(slb).body())
              .as("the same file again")
              .isEqualTo("reloaded\nno change\n");
        }
      }
    }
  }

  @Test
  void aFileThatReplacesEveryBackendLeavesNoMomentWithoutOneInRotation() throws Exception {
    Path config = dir.resolve("slb.yml");
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2")) {
      try (SlbServer slb =
          SlbConfigs.startFromFile(config, file("roundrobin", order1.hostPort()))) {
        InetSocketAddress vip = slb.listenAddresses().get(0);
        try (NamedSession before = new NamedSession(vip)) {
          Files.writeString(config, file("roundrobin", order2.hostPort()));
          assertThat(reload(slb).body())
              .isEqualTo(
                  "reloaded\n"
                      + order2.hostPort()
                      + " added, UP, in rotation, weight 1\n"
                      + order1.hostPort()
                      + " removed, 1 connections open finish on it\n");
          // At once, before any check of the new one: no client is turned away.
          assertThat(NamedSession.backendsOfNewSessions(vip, 3)).containsOnly("order-2");
          assertThat(before.echo("still flowing")).isEqualTo("still flowing");
        }
      }
    }
  }

  @Test
  void aFileThatDoesNotLoadChangesNothing() throws Exception {
    Path config = dir.resolve("slb.yml");
    try (var order1 = TcpBackends.namedEcho("order-1")) {
      try (SlbServer slb =
          SlbConfigs.startFromFile(config, file("roundrobin", order1.hostPort()))) {
        Files.writeString(config, file("roundrobin", order1.hostPort() + " weight=heavy"));
        var refused = reload(slb);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
            .startsWith("configuration not reloaded, nothing changed: ")
            .contains("weight=heavy");
        Files.writeString(config, "backends: []\n");
        assertThat(reload(slb).statusCode()).isEqualTo(400);
        assertThat(slb.backends().backends())
            .extracting(Backend::name)
            .containsExactly(order1.hostPort());
        assertThat(NamedSession.backendsOfNewSessions(slb.listenAddresses().get(0), 2))
            .containsOnly("order-1");
      }
    }
  }
}
