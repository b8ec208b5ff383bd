package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.testing.LogLines;
import io.shopstack.slb.health.HealthCheck;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One access-log line per connection, HAProxy tcplog style, as an operator greps for it. */
class AccessLogTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private LogLines lines;

  @BeforeEach
  void listen() {
    lines = LogLines.of("io.shopstack.slb.access");
  }

  @AfterEach
  void stopListening() {
    lines.close();
  }

  private List<String> logged() {
    return lines.messages();
  }

  @Test
  void aSpliceEndingNormallyIsOneLineWithItsBytesAndDurations() throws Exception {
    try (var echo = TcpBackends.echo();
        SlbServer slb =
            new SlbServer(SlbConfigs.inFrontOf(echo.hostPort()).accessLog(true).build()).start();
        Socket client = new Socket()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      client.connect(vip, 1000);
      client.setSoTimeout((int) BOUND.toMillis());
      client.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
      client.shutdownOutput();
      InputStream in = client.getInputStream();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");

      await().atMost(BOUND).until(() -> !logged().isEmpty());
      assertThat(logged())
          .singleElement()
          .asString()
          .matches(
              "/127\\.0\\.0\\.1:"
                  + client.getLocalPort()
                  + " -> /127\\.0\\.0\\.1:"
                  + vip.getPort()
                  + " backend="
                  + echo.hostPort().replace(".", "\\.")
                  + " Tw=0 Tc=\\d+ Tt=\\d+ in=6 out=6 end=--");
    }
  }

  /**
   * Behind a wildcard listener the client's local address is the kernel's answer for its socket,
   * which a closed socket can no longer give: the line written at the close still names the address
   * the client came to (it said {@code null} when nothing asked while the client was open).
   */
  @Test
  void behindAWildcardListenerTheLineNamesTheAddressTheClientCameTo() throws Exception {
    try (var echo = TcpBackends.echo();
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(echo.hostPort())
                        .listen("0.0.0.0:0")
                        .accessLog(true)
                        .build())
                .start();
        Socket client = new Socket()) {
      int port = slb.listenAddresses().get(0).getPort();
      client.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      client.setSoTimeout((int) BOUND.toMillis());
      client.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
      client.shutdownOutput();
      assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("hello\n");

      await().atMost(BOUND).until(() -> !logged().isEmpty());
      assertThat(logged())
          .singleElement()
          .asString()
          .startsWith(
              "/127.0.0.1:" + client.getLocalPort() + " -> /127.0.0.1:" + port + " backend=");
    }
  }

  @Test
  void howAConnectionFailedIsItsTerminationState() throws Exception {
    TcpBackends.Load load = new TcpBackends.Load();
    try (var busy = TcpBackends.holding("busy", load);
        SlbServer full =
            new SlbServer(
                    SlbConfigs.inFrontOf(busy.hostPort() + " maxconn=1")
                        .healthCheck(HealthCheck.NONE)
                        .queueTimeoutMillis(200)
                        .accessLog(true)
                        .build())
                .start();
        SlbServer dead =
            new SlbServer(
                    SlbConfigs.inFrontOf(TcpBackends.deadHostPort())
                        .instance("slb-dead")
                        .healthCheck(HealthCheck.NONE)
                        .accessLog(true)
                        .build())
                .start()) {
      InetSocketAddress vip = full.listenAddresses().get(0);
      try (Socket holder = new Socket(vip.getAddress(), vip.getPort())) {
        holder.setSoTimeout((int) BOUND.toMillis());
        assertThat(holder.getInputStream().read()).as("served: the slot is taken").isEqualTo('b');
        Socket queued = new Socket(vip.getAddress(), vip.getPort());
        queued.setSoTimeout((int) BOUND.toMillis());
        assertThat(queued.getInputStream().read())
            .as("closed after the queue timeout")
            .isEqualTo(-1);
        await().atMost(BOUND).until(() -> !logged().isEmpty());
        assertThat(logged())
            .singleElement()
            .asString()
            .contains(":" + queued.getLocalPort() + " -> ")
            .contains(" backend=- ")
            .containsPattern(" Tw=\\d+ Tc=-1 ")
            .endsWith(" in=0 out=0 end=sQ");
        queued.close();
      }

      lines.clear();
      InetSocketAddress deadVip = dead.listenAddresses().get(0);
      try (Socket refused = new Socket(deadVip.getAddress(), deadVip.getPort())) {
        refused.setSoTimeout((int) BOUND.toMillis());
        assertThat(refused.getInputStream().read()).isEqualTo(-1);
      }
      String deadLine = " -> /127.0.0.1:" + deadVip.getPort() + " ";
      await().atMost(BOUND).until(() -> logged().stream().anyMatch(l -> l.contains(deadLine)));
      assertThat(logged())
          .filteredOn(l -> l.contains(deadLine))
          .singleElement()
          .asString()
          .contains(" backend=- ")
          .endsWith(" end=SC");
    }
  }

  @Test
  void offByDefault() throws Exception {
    try (var echo = TcpBackends.echo();
        SlbServer slb = new SlbServer(SlbConfigs.inFrontOf(echo.hostPort()).build()).start()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      try (Socket client = new Socket(vip.getAddress(), vip.getPort())) {
        client.setSoTimeout((int) BOUND.toMillis());
        client.shutdownOutput();
        assertThat(client.getInputStream().read()).isEqualTo(-1);
      }
      await()
          .atMost(BOUND)
          .until(() -> slb.registry().get("slb_connections_active").gauge().value() == 0);
      assertThat(logged()).isEmpty();
    }
  }
}
