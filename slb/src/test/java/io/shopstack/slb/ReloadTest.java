package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.server.Transport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A configuration reload without dropping established connections, done as HAProxy does it ({@code
 * haproxy -sf}): the SLB with the new configuration binds the same port beside the running one
 * (SO_REUSEPORT), then the old one stops. Stopping, it accepts nothing more and lets its splices
 * run until they end (up to {@code shutdownSeconds}): a session open through it keeps going to its
 * backend, every new connection reaches the new configuration's backends.
 */
class ReloadTest {
  @Test
  void aSessionOpenAcrossTheReloadGoesOnAndNewClientsGetTheNewBackends() throws Exception {
    try (var before = TcpBackends.namedEcho("order-1");
        var after = TcpBackends.named("order-2")) {
      SlbServer old =
          new SlbServer(
                  SlbConfigs.inFrontOf(before.hostPort())
                      .instance("slb-old")
                      .shutdownSeconds(60)
                      .build())
              .start();
      SlbServer reloaded = null;
      try {
        assertThat(old.transport()).as("SO_REUSEPORT needs epoll").isEqualTo(Transport.EPOLL);
        InetSocketAddress vip = old.listenAddresses().get(0);
        try (Socket session = new Socket(vip.getAddress(), vip.getPort())) {
          session.setSoTimeout(5000);
          var in =
              new BufferedReader(
                  new InputStreamReader(session.getInputStream(), StandardCharsets.UTF_8));
          var out =
              new PrintWriter(
                  new OutputStreamWriter(session.getOutputStream(), StandardCharsets.UTF_8), true);
          assertThat(in.readLine()).isEqualTo("order-1");

          reloaded =
              new SlbServer(
                      SlbConfigs.inFrontOf(after.hostPort())
                          .instance("slb-new")
                          .listen(vip.getAddress().getHostAddress() + ":" + vip.getPort())
                          .build())
                  .start();
          // The old one stops in the background: it waits for its open splice.
          CompletableFuture<Void> oldStopped = CompletableFuture.runAsync(old::close);
          await().atMost(Duration.ofSeconds(10)).until(() -> !old.accepting());

          for (int i = 0; i < 10; i++) {
            assertThat(firstLine(vip)).as("new client %d", i).isEqualTo("order-2");
          }
          out.println("still the old backend after the reload");
          assertThat(in.readLine()).isEqualTo("still the old backend after the reload");
          assertThat(oldStopped).as("the old SLB waits for its open session").isNotDone();

          session.close(); // the session ends: nothing keeps the old SLB any more
          oldStopped.get(30, TimeUnit.SECONDS);
        }
        assertThat(old.registry().get("slb_connections_accepted").counter().count())
            .as("the old SLB took only the session")
            .isEqualTo(1);
      } finally {
        old.close();
        if (reloaded != null) {
          reloaded.close();
        }
      }
    }
  }

  private static String firstLine(InetSocketAddress address) throws Exception {
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      socket.setSoTimeout(5000);
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
  }
}
