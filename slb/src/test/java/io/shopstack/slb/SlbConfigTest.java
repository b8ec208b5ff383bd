package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.slb.backend.BackendSpec;
import io.shopstack.slb.backend.BackendState;
import io.shopstack.slb.health.HealthCheck;
import io.shopstack.slb.operations.RuntimeLevel;
import io.shopstack.slb.operations.RuntimeSocket;
import io.shopstack.slb.proxy.ProxyHeader;
import io.shopstack.slb.proxy.ProxyProtocol;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlbConfigTest {
  private static SlbConfig load(Map<String, String> variables) {
    return ConfigLoader.load(SlbConfig.class, "classpath:slb.yml", variables);
  }

  @Test
  void localDefaultsListenOnTheVipAndTheDatacenterAddress() {
    SlbConfig config = load(Map.of());

    assertThat(config.instance()).isEqualTo("slb");
    assertThat(config.listenAddresses())
        .containsExactly(
            new InetSocketAddress("127.28.0.80", 8080), new InetSocketAddress("127.29.0.2", 8080));
    assertThat(config.backendAddresses())
        .containsExactly(
            new InetSocketAddress("127.29.0.11", 8080), new InetSocketAddress("127.29.0.12", 8080));
    assertThat(config.adminAddress()).isEqualTo(new InetSocketAddress("127.28.0.80", 9901));
    assertThat(config.frontends().get(0).connectTimeout()).hasSeconds(1);
  }

  @Test
  void newKeysDefaultToTodaysBehaviourExceptTheTcpCheckAndEpoll() {
    SlbConfig config = load(Map.of());

    assertThat(config.balance()).isEqualTo("roundrobin");
    assertThat(config.proxyProtocol()).isEqualTo("none");
    assertThat(config.transport()).as("epoll where it loads").isEqualTo("auto");
    assertThat(config.maxConnections()).as("no frontend limit").isZero();
    assertThat(config.queueTimeoutMillis()).isEqualTo(5000);
    assertThat(config.accessLog()).isFalse();
    assertThat(config.backendSpecs()).extracting(BackendSpec::maxConnections).containsOnly(0);
    assertThat(config.healthCheck())
        .isEqualTo(new HealthCheck("tcp", 0, "/health", 200, 2000, 2000, 2, 3));
    assertThat(config.runtimeApi()).as("no runtime API unless asked").isNull();
  }

  @Test
  void theCheckTimeoutIsTheIntervalUnlessSetAsHaproxysTimeoutCheck() {
    assertThat(load(Map.of()).healthCheck().timeoutMillis()).isEqualTo(2000);
    assertThat(load(Map.of("SHOP_SLB_CHECK_INTERVAL_MILLIS", "5000")).healthCheck().timeoutMillis())
        .isEqualTo(5000);
    assertThat(
            load(Map.of(
                    "SHOP_SLB_CHECK_INTERVAL_MILLIS", "5000",
                    "SHOP_SLB_CHECK_TIMEOUT_MILLIS", "700"))
                .healthCheck()
                .timeoutMillis())
        .isEqualTo(700);
    assertThat(HealthCheck.tcp(300, 0, 2, 3).timeoutMillis()).isEqualTo(300);
  }

  @Test
  void theRuntimeApiAndABackendsInitStateComeFromTheFile() {
    SlbConfig config = load(Map.of("SHOP_SLB_RUNTIME_API", "127.0.0.1:9902"));
    assertThat(config.runtimeSockets())
        .containsExactly(
            new RuntimeSocket(new InetSocketAddress("127.0.0.1", 9902), null, RuntimeLevel.ADMIN));
    assertThat(
            SlbConfigs.inFrontOf("127.0.0.1:1 init-state=down", "127.0.0.1:2 init-state=UP")
                .build()
                .backendSpecs())
        .extracting(BackendSpec::initState)
        .containsExactly(BackendState.DOWN, BackendState.UP);
    assertThatThrownBy(
            () -> SlbConfigs.inFrontOf("127.0.0.1:1 init-state=half").build().backendSpecs())
        .hasMessageContaining("init-state must be up or down");
  }

  /** HAProxy's several {@code stats socket} lines, each with its level, as one list. */
  @Test
  void severalRuntimeApiSocketsEachWithItsOwnLevel() {
    SlbConfig config =
        load(
            Map.of(
                "SHOP_SLB_RUNTIME_API",
                "unix:/run/slb.sock level admin, 127.0.0.1:9902 level user,127.0.0.1:9903",
                "SHOP_SLB_RUNTIME_API_LEVEL",
                "operator"));
    assertThat(config.runtimeSockets())
        .containsExactly(
            new RuntimeSocket(null, Path.of("/run/slb.sock"), RuntimeLevel.ADMIN),
            new RuntimeSocket(new InetSocketAddress("127.0.0.1", 9902), null, RuntimeLevel.USER),
            new RuntimeSocket(
                new InetSocketAddress("127.0.0.1", 9903), null, RuntimeLevel.OPERATOR));
    assertThatThrownBy(() -> load(Map.of("SHOP_SLB_RUNTIME_API", "127.0.0.1:9902 level")))
        .hasMessageContaining("must be host:port or unix:PATH, optionally followed by level L");
    assertThatThrownBy(() -> load(Map.of("SHOP_SLB_RUNTIME_API", "127.0.0.1:9902 level root")))
        .hasMessageContaining("must be user, operator or admin, got 'root'");
    assertThatThrownBy(() -> load(Map.of("SHOP_SLB_RUNTIME_API", "127.0.0.1:9902, 127.0.0.1:9902")))
        .hasMessageContaining("names 127.0.0.1:9902 twice");
  }

  @Test
  void limitsAndTheAccessLogComeFromTheEnvironmentAndTheBackendLine() {
    SlbConfig config =
        load(
            Map.of(
                "SHOP_SLB_MAXCONN", "500",
                "SHOP_SLB_QUEUE_TIMEOUT_MILLIS", "250",
                "SHOP_SLB_ACCESS_LOG", "true"));
    assertThat(config.maxConnections()).isEqualTo(500);
    assertThat(config.frontends().get(0).queueTimeout()).hasMillis(250);
    assertThat(config.accessLog()).isTrue();

    SlbConfig limited =
        SlbConfigs.inFrontOf("127.0.0.1:1 maxconn=20 weight=2", "127.0.0.1:2").build();
    assertThat(limited.backendSpecs())
        .extracting(BackendSpec::maxConnections, BackendSpec::weight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(20, 2), org.assertj.core.groups.Tuple.tuple(0, 1));
    assertThatThrownBy(() -> SlbConfigs.inFrontOf("127.0.0.1:1 maxconn=-1").build().backendSpecs())
        .hasMessageContaining("maxconn");
  }

  @Test
  void theSwitchesComeFromTheEnvironment() {
    SlbConfig config =
        load(
            Map.of(
                "SHOP_SLB_PROXY_PROTOCOL", "v2",
                "SHOP_SLB_BALANCE", "maglev",
                "SHOP_SLB_CHECK", "http",
                "SHOP_SLB_CHECK_PORT", "8081",
                "SHOP_SLB_CHECK_PATH", "/actuator/health/readiness"));

    assertThat(config.proxyHeader()).isEqualTo(new ProxyHeader(ProxyProtocol.V2, false, false));
    assertThat(config.balance()).isEqualTo("maglev");
    assertThat(config.healthCheck().type()).isEqualTo("http");
    assertThat(config.healthCheck().port()).isEqualTo(8081);
    assertThat(config.healthCheck().path()).isEqualTo("/actuator/health/readiness");
  }

  @Test
  void aFileWithoutTheNewKeysOrWithAPartialCheckStillLoads(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("slb.yml");
    Files.writeString(
        file,
        """
        instance: old
        listen: ["127.0.0.1:0"]
        backends: ["127.0.0.1:1 weight=3", "127.0.0.1:2"]
        admin: "127.0.0.1:0"
        connectTimeoutMillis: 500
        idleTimeoutSeconds: 60
        shutdownSeconds: 1
        healthCheck: {type: http, rise: 5}
        """);

    SlbConfig config = ConfigLoader.load(SlbConfig.class, file.toString(), Map.of());

    assertThat(config.healthCheck())
        .isEqualTo(new HealthCheck("http", 0, "/health", 200, 2000, 2000, 5, 3));
    assertThat(config.backendSpecs()).extracting(BackendSpec::weight).containsExactly(3, 1);
  }

  @Test
  void aFileWithOnlyWhereToListenAndWhereToSendTakesEveryTimeoutsDefault(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("slb.yml");
    Files.writeString(
        file,
        """
        instance: short
        listen: ["127.0.0.1:0"]
        backends: ["127.0.0.1:1"]
        admin: "127.0.0.1:0"
        """);

    SlbConfig config = ConfigLoader.load(SlbConfig.class, file.toString(), Map.of());

    assertThat(config.connectTimeoutMillis()).isEqualTo(SlbConfig.DEFAULT_CONNECT_TIMEOUT_MILLIS);
    assertThat(config.idleTimeoutSeconds()).isEqualTo(SlbConfig.DEFAULT_IDLE_TIMEOUT_SECONDS);
    assertThat(config.shutdownSeconds()).isEqualTo(SlbConfig.DEFAULT_SHUTDOWN_SECONDS);
  }

  @Test
  void unknownSwitchValuesStopTheStart() {
    assertThatThrownBy(() -> load(Map.of("SHOP_SLB_PROXY_PROTOCOL", "v3")))
        .hasMessageContaining("'v3'");
    assertThatThrownBy(() -> load(Map.of("SHOP_SLB_BALANCE", "random")))
        .hasMessageContaining("'random'");
    assertThatThrownBy(() -> load(Map.of("SHOP_SLB_TRANSPORT", "kqueue")))
        .hasMessageContaining("'kqueue'");
    assertThatThrownBy(() -> new HealthCheck("udp", 0, null, 0, 0, 0, 0, 0))
        .hasMessageContaining("'udp'");
  }

  @Test
  void dockerNeedsOnlyTheWildcardBind() {
    SlbConfig config =
        load(Map.of("SHOP_NET", "172", "SHOP_BIND", "0.0.0.0", "SHOP_HTTP_PORT", "80"));

    assertThat(config.listenAddresses()).containsExactly(new InetSocketAddress("0.0.0.0", 80));
    assertThat(config.backendAddresses())
        .containsExactly(
            new InetSocketAddress("172.29.0.11", 8080), new InetSocketAddress("172.29.0.12", 8080));
  }

  @Test
  void duplicateListenAddressesCollapse() {
    SlbConfig config =
        load(Map.of("SHOP_BIND", "0.0.0.0", "SHOP_BIND_DC", "0.0.0.0", "SHOP_HTTP_PORT", "80"));

    assertThat(config.listenAddresses()).containsExactly(new InetSocketAddress("0.0.0.0", 80));
  }

  @Test
  void aWildcardCoversOnlyItsOwnPortAndEphemeralPortsNeverCollapse() {
    assertThat(
            ListenAddresses.collapse(
                List.of(
                    new InetSocketAddress("0.0.0.0", 80),
                    new InetSocketAddress("127.29.0.2", 8080),
                    new InetSocketAddress("127.0.0.1", 0),
                    new InetSocketAddress("127.0.0.1", 0))))
        .containsExactly(
            new InetSocketAddress("0.0.0.0", 80),
            new InetSocketAddress("127.29.0.2", 8080),
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", 0));
  }

  @Test
  void badAddressesAreNamed() {
    SlbConfig config = SlbConfigs.inFrontOf("x:1").listen("127.0.0.1").build();
    assertThatThrownBy(config::listenAddresses).hasMessageContaining("'127.0.0.1'");
    SlbConfig badPort = SlbConfigs.inFrontOf("x:1").listen("127.0.0.1:http").build();
    assertThatThrownBy(badPort::listenAddresses).hasMessageContaining("bad port");
  }

  @Test
  void ipv6AddressesAreBracketed() {
    assertThat(SlbConfig.address("[::1]:8080")).isEqualTo(new InetSocketAddress("::1", 8080));
  }

  @Test
  void aConfigWithoutBackendsIsRejected() {
    assertThatThrownBy(() -> SlbConfigs.inFrontOf().build())
        .hasMessageContaining("at least one backend");
  }
}
