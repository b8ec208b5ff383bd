package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Several frontends in one SLB, HAProxy's {@code listen} sections: each listen address splices to
 * its own pool with its own balance and PROXY protocol, operators name a backend with its frontend
 * (runtime API, admin port), the metrics say which frontend they count, a reload applies each
 * frontend's backends to its own pool, and a file whose frontends would share a port is refused.
 */
class FrontendsTest {
  @TempDir Path dir;

  /**
   * Two frontends on their own ephemeral ports: {@code www} round robin over two named echo
   * backends, PROXY protocol off (inherited from the top); {@code api} over one PROXY-reading
   * backend, v2.
   */
  private static String file(String www1, String www2, String api) {
    return """
        instance: slb-frontends
        admin: "127.0.0.1:0"
        runtimeApi: "127.0.0.1:0"
        shutdownSeconds: 1
        balance: roundrobin
        proxyProtocol: none
        healthCheck: {type: tcp, intervalMillis: 100, rise: 2, fall: 3}
        frontends:
          - name: www
            listen: ["127.0.0.1:0"]
            backends: ["%s", "%s"]
          - name: api
            listen: ["127.0.0.1:0"]
            backends: ["%s"]
            proxyProtocol: v2
            maxConnections: 50
            firstByteTimeoutSeconds: 1
        """
        .formatted(www1, www2, api);
  }

  private SlbServer start(String yaml) throws Exception {
    return SlbConfigs.startFromFile(dir.resolve("slb.yml"), yaml);
  }

  /** The first line a backend of {@code api} answers: what the PROXY header it got claimed. */
  private static String proxyClaim(InetSocketAddress vip) throws Exception {
    try (Socket client = new Socket(vip.getAddress(), vip.getPort())) {
      client.setSoTimeout(5000);
      client.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
      client.shutdownOutput();
      return new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
  }

  private static HttpResponse<String> admin(SlbServer slb, String method, String path)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slb.adminPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void eachFrontendSplicesToItsOwnPoolWithItsOwnSettings() throws Exception {
    try (var www1 = TcpBackends.namedEcho("www-1");
        var www2 = TcpBackends.namedEcho("www-2");
        var api = TcpBackends.proxyProtocolReader();
        SlbServer slb = start(file(www1.hostPort(), www2.hostPort(), api.hostPort()))) {
      InetSocketAddress wwwVip = slb.frontend("www").listenAddresses().get(0);
      InetSocketAddress apiVip = slb.frontend("api").listenAddresses().get(0);
      assertThat(wwwVip.getPort()).isNotEqualTo(apiVip.getPort());

      assertThat(NamedSession.backendsOfNewSessions(wwwVip, 4))
          .containsExactly("www-1", "www-2", "www-1", "www-2");
      assertThat(proxyClaim(apiVip))
          .as("api's backend gets the v2 header of its own frontend")
          .startsWith("v2 TCP4 127.0.0.1:")
          .endsWith(" -> 127.0.0.1:" + apiVip.getPort());
      assertThat(slb.frontend("api").limit()).as("api's maxconn only").isNotNull();
      assertThat(slb.frontend("www").limit()).isNull();

      String metrics = admin(slb, "GET", "/metrics").body();
      assertThat(metrics)
          .containsPattern("slb_connections_accepted_total\\{frontend=\"www\",[^}]*} 4\\.0")
          .containsPattern("slb_connections_accepted_total\\{frontend=\"api\",[^}]*} 1\\.0")
          .containsPattern(
              "slb_backend_connections_total\\{backend=\""
                  + api.hostPort()
                  + "\",frontend=\"api\",[^}]*} 1\\.0");
      assertThat(admin(slb, "GET", "/health").body())
          .contains("www listening on", "2/2 backends up", "api listening on", "1/1 backends up");
    }
  }

  @Test
  void theAdminPortShowsEveryBackendsTrafficAndStateHistory() throws Exception {
    String dead = TcpBackends.deadHostPort();
    try (var www1 = TcpBackends.namedEcho("www-1");
        var api = TcpBackends.proxyProtocolReader();
        SlbServer slb = start(file(www1.hostPort(), dead, api.hostPort()))) {
      InetSocketAddress wwwVip = slb.frontend("www").listenAddresses().get(0);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !slb.frontend("www").backends().find(dead).isUp());
      try (NamedSession session = new NamedSession(wwwVip)) {
        assertThat(session.echo("twelve bytes")).isEqualTo("twelve bytes");
      }
      assertThat(proxyClaim(slb.frontend("api").listenAddresses().get(0))).startsWith("v2 ");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> slb.frontend("api").backends().backends().get(0).activeConnections() == 0);

      HttpResponse<String> page = admin(slb, "GET", "/backends");

      assertThat(page.statusCode()).isEqualTo(200);
      JsonNode frontends = JsonMapper.builder().build().readTree(page.body()).get("frontends");
      assertThat(frontends.get(0).get("name").asString()).isEqualTo("www");
      assertThat(frontends.get(0).get("listen").get(0).asString())
          .isEqualTo("127.0.0.1:" + wwwVip.getPort());
      JsonNode up = frontends.get(0).get("backends").get(0);
      assertThat(up.get("name").asString()).isEqualTo(www1.hostPort());
      assertThat(up.get("state").asString()).isEqualTo("UP");
      assertThat(up.get("connections").asLong()).isEqualTo(1);
      assertThat(up.get("bytesFromClients").asLong()).as("the line sent").isEqualTo(13);
      assertThat(up.get("bytesToClients").asLong())
          .as("greeting and echo")
          .isEqualTo("www-1\n".length() + 13);
      JsonNode down = frontends.get(0).get("backends").get(1);
      assertThat(down.get("state").asString()).isEqualTo("DOWN");
      assertThat(down.get("inRotation").asBoolean()).isFalse();
      assertThat(down.get("lastFailure").asString()).contains("refused");
      assertThat(down.get("history").get(0).get("to").asString()).isEqualTo("DOWN");
      assertThat(down.get("history").get(0).get("reason").asString()).contains("refused");
      assertThat(down.get("history").get(0).get("at").asString()).matches("\\d{4}-.*Z");
      JsonNode apiBackend = frontends.get(1).get("backends").get(0);
      assertThat(frontends.get(1).get("proxyProtocol").asString()).isEqualTo("v2");
      assertThat(apiBackend.get("bytesFromClients").asLong())
          .as("the client's bytes only, not the PROXY header the SLB added")
          .isEqualTo("hello\n".length());
      assertThat(apiBackend.get("connectFailures").asLong()).isZero();
    }
  }

  @Test
  void aFrontendsOwnTimeoutHoldsForItsClientsOnly() throws Exception {
    try (var www1 = TcpBackends.echo();
        var www2 = TcpBackends.echo();
        var api = TcpBackends.echo();
        SlbServer slb = start(file(www1.hostPort(), www2.hostPort(), api.hostPort()));
        Socket silentOnWww = new Socket();
        Socket silentOnApi = new Socket()) {
      silentOnWww.connect(slb.frontend("www").listenAddresses().get(0), 1000);
      silentOnApi.connect(slb.frontend("api").listenAddresses().get(0), 1000);
      silentOnApi.setSoTimeout(10_000);

      // The echo backend returns api's PROXY header; then the end of the stream comes.
      assertThat(silentOnApi.getInputStream().readAllBytes())
          .as("api closes a client silent for its firstByteTimeoutSeconds: 1")
          .startsWith(0x0D, 0x0A, 0x0D, 0x0A);
      silentOnWww.setSoTimeout(500);
      assertThatThrownBy(() -> silentOnWww.getInputStream().read())
          .as("www keeps the inherited 10 s: still open after api's second")
          .isInstanceOf(java.net.SocketTimeoutException.class);
      assertThat(slb.frontend("api").config().firstByteTimeoutSeconds()).isEqualTo(1);
      assertThat(slb.frontend("www").config().firstByteTimeoutSeconds())
          .isEqualTo(SlbConfig.DEFAULT_FIRST_BYTE_TIMEOUT_SECONDS);
    }
  }

  @Test
  void operatorsNameABackendWithItsFrontend() throws Exception {
    try (var www1 = TcpBackends.namedEcho("www-1");
        var www2 = TcpBackends.namedEcho("www-2");
        var api = TcpBackends.namedEcho("api-1");
        SlbServer slb = start(file(www1.hostPort(), www2.hostPort(), api.hostPort()))) {
      InetSocketAddress wwwVip = slb.frontend("www").listenAddresses().get(0);
      InetSocketAddress runtime = slb.runtimeApiAddress();

      assertThat(RuntimeApiTest.command(runtime, "set server " + www1.hostPort() + " state drain"))
          .as("two frontends: which one must be said")
          .isEqualTo(
              "error: name the frontend, FRONTEND/" + www1.hostPort() + ", one of www, api\n\n");
      assertThat(RuntimeApiTest.command(runtime, "set server db/" + www1.hostPort() + " weight 2"))
          .isEqualTo("error: no frontend db; there are www, api\n\n");
      assertThat(
              RuntimeApiTest.command(runtime, "set server api/" + www1.hostPort() + " state drain"))
          .isEqualTo("error: no backend " + www1.hostPort() + " in frontend api\n\n");

      assertThat(
              RuntimeApiTest.command(runtime, "set server www/" + www1.hostPort() + " state drain"))
          .startsWith(www1.hostPort() + " drain (was ready)");
      assertThat(NamedSession.backendsOfNewSessions(wwwVip, 3))
          .containsExactly("www-2", "www-2", "www-2");
      assertThat(RuntimeApiTest.command(runtime, "show servers state"))
          .contains(
              "# frontend name state admin",
              "www " + www1.hostPort() + " UP drain 1 ",
              "www " + www2.hostPort() + " UP ready 1 ",
              "api " + api.hostPort() + " UP ready 1 ");

      assertThat(admin(slb, "POST", "/backends/www/" + www1.hostPort() + "/ready").statusCode())
          .isEqualTo(200);
      assertThat(admin(slb, "POST", "/backends/" + api.hostPort() + "/drain").statusCode())
          .as("a name only one frontend has needs no frontend")
          .isEqualTo(200);
      assertThat(slb.frontend("api").backends().backends().get(0).inRotation()).isFalse();
      assertThat(NamedSession.backendsOfNewSessions(wwwVip, 2)).containsOnly("www-1", "www-2");
    }
  }

  @Test
  void aReloadAppliesEachFrontendsBackendsToItsOwnPool() throws Exception {
    try (var www1 = TcpBackends.namedEcho("www-1");
        var www2 = TcpBackends.namedEcho("www-2");
        var api1 = TcpBackends.namedEcho("api-1");
        var api2 = TcpBackends.namedEcho("api-2");
        SlbServer slb = start(file(www1.hostPort(), www2.hostPort(), api1.hostPort()))) {
      Files.writeString(
          dir.resolve("slb.yml"),
          file(www1.hostPort(), www2.hostPort(), api2.hostPort())
              .replace("maxConnections: 50", "maxConnections: 60")
              .replace("firstByteTimeoutSeconds: 1", "firstByteTimeoutSeconds: 2"));

      HttpResponse<String> reloaded = admin(slb, "POST", "/reload");

      assertThat(reloaded.statusCode()).isEqualTo(200);
      assertThat(reloaded.body())
          .startsWith(
              "reloaded\napi: maxConnections 50 -> 60\napi: firstByteTimeoutSeconds 1 -> 2\napi: "
                  + api2.hostPort()
                  + " added, UP, in rotation")
          .endsWith("api: " + api1.hostPort() + " removed, 0 connections open finish on it\n");
      assertThat(slb.frontend("api").config().maxConnections()).isEqualTo(60);
      assertThat(slb.frontend("www").config().maxConnections()).isZero();
      assertThat(slb.frontend("www").backends().backends())
          .extracting(b -> b.name())
          .containsExactly(www1.hostPort(), www2.hostPort());
      assertThat(
              NamedSession.backendsOfNewSessions(slb.frontend("api").listenAddresses().get(0), 2))
          .containsOnly("api-2");
    }
  }

  @Test
  void frontendsMayNotShareAPortNorAName() throws Exception {
    String base =
        """
        instance: slb-frontends
        admin: "127.0.0.1:0"
        frontends:
          - {name: www, listen: ["127.0.0.1:18201"], backends: ["127.0.0.1:1"]}
          - {name: %s, listen: ["%s"], backends: ["127.0.0.1:2"]}
        """;
    assertThatThrownBy(() -> load(base.formatted("api", "0.0.0.0:18201")))
        .hasMessageContaining("slb: frontends www and api both listen on /127.0.0.1:18201");
    assertThatThrownBy(() -> load(base.formatted("www", "127.0.0.1:18202")))
        .hasMessageContaining("slb: two frontends named www");
    assertThatThrownBy(() -> load(base.formatted("a/b", "127.0.0.1:18202")))
        .hasMessageContaining("a frontend needs a name of letters");
    assertThatThrownBy(
            () -> load(base.formatted("api", "127.0.0.1:18202") + "listen: [\"127.0.0.1:1\"]\n"))
        .hasMessageContaining("listen and backends go inside each frontend");

    SlbConfig twoPorts = load(base.formatted("api", "127.0.0.1:18202"));
    assertThat(twoPorts.frontends()).extracting(FrontendConfig::name).containsExactly("www", "api");
    assertThat(twoPorts.frontends())
        .as("the top's defaults fill what a frontend leaves out")
        .extracting(FrontendConfig::balance, FrontendConfig::proxyProtocol)
        .containsOnly(org.assertj.core.groups.Tuple.tuple("roundrobin", "none"));
  }

  @Test
  void aFileWithoutFrontendsIsOneFrontendNamedShop() {
    SlbConfig shipped = ConfigLoader.load(SlbConfig.class, "classpath:slb.yml", Map.of());
    assertThat(shipped.frontends()).hasSize(1);
    FrontendConfig shop = shipped.frontends().get(0);
    assertThat(shop.name()).isEqualTo(SlbConfig.DEFAULT_FRONTEND).isEqualTo("shop");
    assertThat(shop.listenAddresses())
        .containsExactly(
            new InetSocketAddress("127.28.0.80", 8080), new InetSocketAddress("127.29.0.2", 8080));
    assertThat(shop.backendSpecs())
        .extracting(spec -> spec.address())
        .containsExactly(
            new InetSocketAddress("127.29.0.11", 8080), new InetSocketAddress("127.29.0.12", 8080));
    assertThat(List.of(shop.balance(), shop.proxyProtocol()))
        .containsExactly(shipped.balance(), shipped.proxyProtocol());
  }

  private SlbConfig load(String yaml) throws Exception {
    Path config = dir.resolve("check.yml");
    Files.writeString(config, yaml);
    return ConfigLoader.load(SlbConfig.class, config.toString(), Map.of());
  }
}
