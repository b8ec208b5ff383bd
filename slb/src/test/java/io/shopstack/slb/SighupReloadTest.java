package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.testing.ExternalCommand;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's way with a daemon: edit its file, {@code kill -HUP} it. The SLB process reads the
 * file again and applies its backends; a session open through a removed backend flows on, new
 * clients reach only the new set, and the process keeps its pid and its listening socket.
 */
class SighupReloadTest {
  @TempDir Path dir;

  @Test
  void sighupAppliesTheEditedBackendsWithoutDroppingTheOpenSession() throws Exception {
    Path config = dir.resolve("slb.yml");
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2")) {
      Files.writeString(config, ConfigReloadTest.file("roundrobin", order1.hostPort()));
      try (SlbProcess slb = new SlbProcess(config)) {
        InetSocketAddress vip = new InetSocketAddress("127.0.0.1", slb.awaitPort());
        try (NamedSession session = new NamedSession(vip)) {
          assertThat(session.backend).isEqualTo("order-1");

          Files.writeString(config, ConfigReloadTest.file("roundrobin", order2.hostPort()));
          ExternalCommand.run(Duration.ofSeconds(10), "kill", "-HUP", String.valueOf(slb.pid()))
              .assertSuccess();
          awaitReloadOrExit(slb);
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> NamedSession.backendsOfNewSessions(vip, 1).equals(List.of("order-2")));
          assertThat(NamedSession.backendsOfNewSessions(vip, 6)).containsOnly("order-2");
          assertThat(session.echo("still flowing")).isEqualTo("still flowing");
          assertThat(slb.isAlive()).isTrue();
        }
        assertThat(slb.output())
            .filteredOn(l -> l.contains("configuration reloaded by SIGHUP"))
            .singleElement()
            .asString()
            .contains(order2.hostPort() + " added", order1.hostPort() + " removed");
      }
    }
  }

  /**
   * A SIGHUP sent the moment the start-up line appears (a reload script, systemd) reloads. The
   * handler used to be installed after a full GC that follows that line, and a SIGHUP in between
   * met the JVM's default handler, which ends the process.
   */
  @Test
  void aSighupOnTheStartUpLineReloadsAndTheProcessLives() throws Exception {
    Path config = dir.resolve("slb.yml");
    try (var order1 = TcpBackends.namedEcho("order-1")) {
      Files.writeString(config, ConfigReloadTest.file("roundrobin", order1.hostPort()));
      try (SlbProcess slb = new SlbProcess(config)) {
        slb.awaitPort();
        ExternalCommand.run(Duration.ofSeconds(10), "kill", "-HUP", String.valueOf(slb.pid()))
            .assertSuccess();
        awaitReloadOrExit(slb);
      }
    }
  }

  /** The reload's log line, or the process's end: either way, what it wrote is in the failure. */
  private static void awaitReloadOrExit(SlbProcess slb) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !slb.isAlive() || reloaded(slb));
    assertThat(slb.isAlive()).as("alive after the SIGHUP; it wrote:%n%s", slb.output()).isTrue();
    assertThat(reloaded(slb)).as("reloaded; it wrote:%n%s", slb.output()).isTrue();
  }

  private static boolean reloaded(SlbProcess slb) {
    return slb.output().stream().anyMatch(l -> l.contains("configuration reloaded by SIGHUP"));
  }
}
