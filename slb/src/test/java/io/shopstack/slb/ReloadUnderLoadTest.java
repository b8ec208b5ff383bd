package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reload's promise under traffic: clients open connections through the VIP as fast as they go
 * while the file flips between three versions that change every key a reload applies (listen
 * addresses, backends and weights, balance, maxconn (one below the clients, so that it is reached
 * and replaced while paused), timeouts, check type and schedule, a second frontend added and
 * removed) and the SLB reloads it every 20 ms. No client is refused, reset or left without its
 * answer.
 */
class ReloadUnderLoadTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final Duration LOADED = Duration.ofSeconds(3);
  private static final int CLIENTS = 6;

  @TempDir Path dir;

  /** One version of the file: the loaded frontend {@code shop}, and {@code extra} or not. */
  private static String version(
      String listen, String backends, String balance, String more, String checks, String extra) {
    return """
        instance: slb-reload-load
        admin: "127.0.0.1:0"
        shutdownSeconds: 1
        healthCheck: %s
        frontends:
          - {name: shop, listen: %s, backends: %s, balance: %s%s}
        %s
        """
        .formatted(checks, listen, backends, balance, more, extra);
  }

  @Test
  void noClientFailsWhileTheFileIsReloadedUnderIt() throws Exception {
    try (var order1 = TcpBackends.named("order-1");
        var order2 = TcpBackends.named("order-2")) {
      String one = '"' + order1.hostPort() + '"';
      String two = '"' + order2.hostPort() + '"';
      String extra =
          "  - {name: extra, listen: [\"127.0.0.3:0\"], backends: ["
              + one
              + "], maxConnections: 3}";
      List<String> versions =
          List.of(
              version(
                  "[\"127.0.0.1:0\"]",
                  "[" + one + ", " + two + "]",
                  "roundrobin",
                  "",
                  "{type: tcp, intervalMillis: 100}",
                  ""),
              version(
                  "[\"127.0.0.1:0\", \"127.0.0.2:0\"]",
                  "[\"" + order1.hostPort() + " weight=3\", " + two + "]",
                  "leastconn",
                  ", maxConnections: 100, idleTimeoutSeconds: 200, connectTimeoutMillis: 800",
                  "{type: tcp, intervalMillis: 50, rise: 1, fall: 2}",
                  extra),
              version(
                  "[\"127.0.0.1:0\"]",
                  "[" + two + "]",
                  "maglev",
                  // Fewer than the clients: the limit is reached, and replaced, while paused.
                  ", maxConnections: " + (CLIENTS - 2) + ", firstByteTimeoutSeconds: 5",
                  "{type: none}",
                  ""));
      Path file = dir.resolve("slb.yml");
      try (SlbServer slb = SlbConfigs.startFromFile(file, versions.get(0))) {
        InetSocketAddress vip = slb.frontend("shop").listenAddresses().get(0);
        int reloads = 0;
        ConnectionLoad load = new ConnectionLoad(vip, CLIENTS, BOUND);
        try (load) {
          long end = System.nanoTime() + LOADED.toNanos();
          while (System.nanoTime() < end) {
            Files.writeString(file, versions.get(++reloads % versions.size()));
            assertThat(slb.reload("test")).startsWith("reloaded\n");
            Thread.sleep(20);
          }
        }
        assertThat(reloads).isGreaterThan(30);
        assertThat(load.served.get()).isGreaterThan(1_000);
        assertThat(load.failures.get()).as("clients refused, reset or unanswered").isZero();
        assertThat(slb.frontend("shop").listenAddresses())
            .as("the first address kept its socket")
            .contains(vip);
      }
    }
  }
}
