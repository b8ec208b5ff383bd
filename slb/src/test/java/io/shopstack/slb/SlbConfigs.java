package io.shopstack.slb;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.slb.health.HealthCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Test configurations: one SLB on 127.0.0.1 with ephemeral ports in front of the given backends,
 * every other knob at the shipped slb.yml's default until a test sets it. Each test varies one or
 * two knobs; building through the record's one constructor keeps its checks and defaults in force,
 * so a test cannot start an SLB that production would refuse.
 */
final class SlbConfigs {
  private final List<String> backends;
  private String instance = "slb-test";
  private List<String> listen = List.of("127.0.0.1:0");
  private int connectTimeoutMillis = 1000;
  private int idleTimeoutSeconds = SlbConfig.DEFAULT_IDLE_TIMEOUT_SECONDS;
  private int shutdownSeconds = SlbConfig.DEFAULT_SHUTDOWN_SECONDS;
  private String balance;
  private String proxyProtocol;
  private HealthCheck healthCheck;
  private Integer firstByteTimeoutSeconds;
  private String transport;
  private Integer maxConnections;
  private Integer queueTimeoutMillis;
  private Boolean accessLog;
  private String runtimeApi;
  private String runtimeApiLevel;

  private SlbConfigs(List<String> backends) {
    this.backends = backends;
  }

  /**
   * An SLB started from {@code file}, written with {@code yaml} first, that reads it again on a
   * reload, as {@code SlbMain} runs one from its {@code slb.yml}.
   */
  static SlbServer startFromFile(Path file, String yaml) throws Exception {
    Files.writeString(file, yaml);
    return new SlbServer(ConfigLoader.load(SlbConfig.class, file.toString(), Map.of()))
        .reloadingFrom(() -> ConfigLoader.load(SlbConfig.class, file.toString(), Map.of()))
        .start();
  }

  /** An SLB spreading connections over {@code backends} ({@code host:port [weight=N]}). */
  static SlbConfigs inFrontOf(String... backends) {
    return new SlbConfigs(List.of(backends));
  }

  SlbConfigs instance(String instance) {
    this.instance = instance;
    return this;
  }

  SlbConfigs listen(String... listen) {
    this.listen = List.of(listen);
    return this;
  }

  SlbConfigs connectTimeoutMillis(int millis) {
    this.connectTimeoutMillis = millis;
    return this;
  }

  SlbConfigs idleTimeoutSeconds(int seconds) {
    this.idleTimeoutSeconds = seconds;
    return this;
  }

  SlbConfigs shutdownSeconds(int seconds) {
    this.shutdownSeconds = seconds;
    return this;
  }

  SlbConfigs balance(String balance) {
    this.balance = balance;
    return this;
  }

  SlbConfigs proxyProtocol(String proxyProtocol) {
    this.proxyProtocol = proxyProtocol;
    return this;
  }

  SlbConfigs healthCheck(HealthCheck healthCheck) {
    this.healthCheck = healthCheck;
    return this;
  }

  SlbConfigs firstByteTimeoutSeconds(int seconds) {
    this.firstByteTimeoutSeconds = seconds;
    return this;
  }

  SlbConfigs transport(String transport) {
    this.transport = transport;
    return this;
  }

  SlbConfigs maxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
    return this;
  }

  SlbConfigs queueTimeoutMillis(int millis) {
    this.queueTimeoutMillis = millis;
    return this;
  }

  SlbConfigs accessLog(boolean on) {
    this.accessLog = on;
    return this;
  }

  SlbConfigs runtimeApi(String address) {
    this.runtimeApi = address;
    return this;
  }

  SlbConfigs runtimeApiLevel(String level) {
    this.runtimeApiLevel = level;
    return this;
  }

  SlbConfig build() {
    return new SlbConfig(
        instance,
        listen,
        backends,
        "127.0.0.1:0",
        connectTimeoutMillis,
        idleTimeoutSeconds,
        shutdownSeconds,
        balance,
        proxyProtocol,
        healthCheck,
        firstByteTimeoutSeconds,
        transport,
        maxConnections,
        queueTimeoutMillis,
        accessLog,
        runtimeApi,
        null,
        runtimeApiLevel);
  }
}
