package io.shopstack.slb;

import static io.shopstack.common.testing.ServerLeftovers.assertNothingLeftOpen;
import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.shopstack.common.server.ServerStartException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starting and stopping the SLB as an operator does it: ports in use, clients still connected. */
class SlbLifecycleTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void aSecondListenAddressInUseFailsTheStartAndReleasesTheFirst() throws Exception {
    int first = freePort();
    try (var order = TcpBackends.named("order-1");
        ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      SlbConfig config =
          new SlbConfig(
              "slb-taken",
              List.of("127.0.0.1:" + first, "127.0.0.1:" + taken.getLocalPort()),
              List.of(order.hostPort()),
              "127.0.0.1:0",
              1000);

      assertThatThrownBy(() -> new SlbServer(config).start())
          .isInstanceOf(ServerStartException.class)
          .hasMessage(
              "slb-taken: cannot bind listener on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": Address already in use")
          .hasCauseInstanceOf(BindException.class);

      assertNothingLeftOpen("slb-taken", new InetSocketAddress(LOOPBACK, first));
    }
  }

  @Test
  void closeEndsASpliceStillOpenAndStopsWithinTheDeadline() throws Exception {
    try (var echo = TcpBackends.echo()) {
      SlbConfig config =
          new SlbConfig(
              "slb-stopping",
              List.of("127.0.0.1:0"),
              List.of(echo.hostPort()),
              "127.0.0.1:0",
              1000,
              SlbConfig.DEFAULT_IDLE_TIMEOUT_SECONDS,
              1);
      SlbServer slb = new SlbServer(config).start();
      InetSocketAddress vip = slb.listenAddresses().get(0);
      InetSocketAddress admin = new InetSocketAddress(LOOPBACK, slb.adminPort());

      try (Socket client = new Socket(vip.getAddress(), vip.getPort())) {
        client.setSoTimeout(10_000);
        client.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
        var in =
            new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo("ping");

        // Bounded far above the 1 s deadline: this guards against a stop that hangs.
        assertTimeoutPreemptively(Duration.ofSeconds(30), slb::close);

        assertThat(in.read()).as("end of stream once the SLB stopped").isEqualTo(-1);
      }
      assertNothingLeftOpen("slb-stopping", vip, admin);
      slb.close();
    }
  }
}
