package io.shopstack.slb;

import static io.shopstack.common.testing.ServerLeftovers.assertNothingLeftOpen;
import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.server.ServerStartException;
import io.shopstack.common.testing.ServerLeftovers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
          SlbConfigs.inFrontOf(order.hostPort())
              .instance("slb-taken")
              .listen("127.0.0.1:" + first, "127.0.0.1:" + taken.getLocalPort())
              .build();

      assertThatThrownBy(() -> new SlbServer(config).start())
          .isInstanceOf(ServerStartException.class)
          // NIO says "Address already in use", epoll "bind(..) failed with error(-98): Address..."
          .hasMessageStartingWith(
              "slb-taken: cannot bind listener on 127.0.0.1:" + taken.getLocalPort() + ": ")
          .hasMessageEndingWith("Address already in use")
          .hasCauseInstanceOf(IOException.class);

      assertNothingLeftOpen("slb-taken", new InetSocketAddress(LOOPBACK, first));
    }
  }

  @Test
  void closeLetsASpliceStillTalkingFinishAndCutsASilentOneAtTheDeadline() throws Exception {
    try (var echo = TcpBackends.echo()) {
      SlbConfig config =
          SlbConfigs.inFrontOf(echo.hostPort()).instance("slb-stopping").shutdownSeconds(2).build();
      SlbServer slb = new SlbServer(config).start();
      InetSocketAddress vip = slb.listenAddresses().get(0);
      InetSocketAddress admin = new InetSocketAddress(LOOPBACK, slb.adminPort());

      try (Socket talking = connect(vip);
          Socket silent = connect(vip)) {
        BufferedReader talkingIn = lines(talking);
        BufferedReader silentIn = lines(silent);
        assertThat(echoed(talking, talkingIn, "ping")).isEqualTo("ping");
        assertThat(echoed(silent, silentIn, "ping")).isEqualTo("ping");

        CompletableFuture<Void> closing = CompletableFuture.runAsync(slb::close);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> slb.registry().get("slb_connections_open_at_stop").counter().count() == 2);
        ServerLeftovers.assertRefused(vip); // no longer accepting

        // The stop has begun; both splices still carry bytes, and one ends by itself.
        assertThat(echoed(talking, talkingIn, "after the stop")).isEqualTo("after the stop");
        talking.shutdownOutput();
        assertThat(talkingIn.read()).as("ended by its own FIN, echoed back").isEqualTo(-1);
        assertThat(echoed(silent, silentIn, "still here")).isEqualTo("still here");

        // The other stays silent until the deadline cuts it: only the SLB can end it, as the
        // client never sends FIN and the echo backend half-closes only after one.
        assertThat(silentIn.read()).as("cut at the deadline").isEqualTo(-1);
        closing.get(30, TimeUnit.SECONDS);
      }
      assertNothingLeftOpen("slb-stopping", vip, admin);
      slb.close();
    }
  }

  private static Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(20_000); // a guard against a hang, not a measurement
    return socket;
  }

  private static BufferedReader lines(Socket socket) throws IOException {
    return new BufferedReader(
        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
  }

  private static String echoed(Socket socket, BufferedReader in, String line) throws IOException {
    socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    return in.readLine();
  }
}
