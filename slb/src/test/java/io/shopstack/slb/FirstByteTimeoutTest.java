package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A flood of connections that never send a byte: served clients unaffected, the flood closed. */
class FirstByteTimeoutTest {
  private static final int SILENT = 300;

  @Test
  void silentConnectionsAreClosedAndDoNotStopAClientThatSpeaks() throws Exception {
    try (var echo = TcpBackends.echo();
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(echo.hostPort())
                        .instance("slb-slowloris")
                        .firstByteTimeoutSeconds(1)
                        .build())
                .start()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      List<Socket> silent = new ArrayList<>();
      try {
        for (int i = 0; i < SILENT; i++) {
          Socket socket = new Socket(vip.getAddress(), vip.getPort());
          socket.setSoTimeout(10_000);
          silent.add(socket);
        }

        try (Socket client = new Socket(vip.getAddress(), vip.getPort())) {
          client.setSoTimeout(5000);
          client.getOutputStream().write("order\n".getBytes(StandardCharsets.UTF_8));
          var in =
              new BufferedReader(
                  new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
          assertThat(in.readLine()).isEqualTo("order");
          // Past the first-byte timeout, a client that spoke keeps its splice.
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      slb.registry().get("slb_connections_first_byte_timeout").counter().count()
                          == SILENT);
          client.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
          assertThat(in.readLine()).isEqualTo("still here");
        }
        for (Socket socket : silent) {
          assertThat(socket.getInputStream().read()).as("closed by the SLB").isEqualTo(-1);
        }
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> slb.registry().get("slb_connections_active").gauge().value() == 0);
      } finally {
        for (Socket socket : silent) {
          socket.close();
        }
      }
    }
  }
}
