package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The slowloris case: 5,000 connections that never send a byte. Clients that speak are
 * served meanwhile, and every silent one is closed by the SLB after the first-byte timeout, as the
 * silent clients themselves see it (end of stream on each socket).
 */
class FirstByteTimeoutTest {
  private static final int SILENT = 5000;

  // Opens the connections, says so, then counts those the server ends, until all are or the
  // deadline passes. A separate process: 5,000 more descriptors in the test's JVM, which holds the
  // SLB's two per connection and the backend's, would pass the 20,000 the machine allows.
  private static final String SILENT_CLIENTS =
      """
      import selectors, socket, sys, time
      host, port, n, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
      sel = selectors.DefaultSelector()
      for _ in range(n):
          s = socket.create_connection((host, port))
          s.setblocking(False)
          sel.register(s, selectors.EVENT_READ)
      print("open", n, flush=True)
      ended, data, end = 0, 0, time.monotonic() + limit
      while ended < n and time.monotonic() < end:
          for key, _ in sel.select(timeout=1):
              try:
                  got = key.fileobj.recv(1)
              except ConnectionResetError:
                  got = b""
              if got:
                  data += 1
                  continue
              sel.unregister(key.fileobj)
              key.fileobj.close()
              ended += 1
      print("ended", ended, "data", data, flush=True)
      """;

  @Test
  void silentConnectionsAreClosedAndDoNotStopAClientThatSpeaks() throws Exception {
    try (var echo = new LoopEcho();
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(echo.hostPort())
                        .instance("slb-slowloris")
                        .firstByteTimeoutSeconds(10)
                        .build())
                .start()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      Process silent =
          new ProcessBuilder(
                  "python3",
                  "-c",
                  SILENT_CLIENTS,
                  vip.getAddress().getHostAddress(),
                  String.valueOf(vip.getPort()),
                  String.valueOf(SILENT),
                  "60")
              .redirectErrorStream(true)
              .start();
      try {
        var silentOut =
            new BufferedReader(
                new InputStreamReader(silent.getInputStream(), StandardCharsets.UTF_8));
        assertThat(silentOut.readLine()).isEqualTo("open " + SILENT);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> slb.registry().get("slb_connections_active").gauge().value() >= SILENT);

        // While the 5,000 are held, a client that speaks is served at once.
        try (Socket client = new Socket(vip.getAddress(), vip.getPort())) {
          client.setSoTimeout(5000);
          client.getOutputStream().write("order\n".getBytes(StandardCharsets.UTF_8));
          var in =
              new BufferedReader(
                  new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
          assertThat(in.readLine()).isEqualTo("order");
          // Past the first-byte timeout, a client that spoke keeps its splice.
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      slb.registry().get("slb_connections_first_byte_timeout").counter().count()
                          == SILENT);
          client.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
          assertThat(in.readLine()).isEqualTo("still here");
        }
        assertThat(silentOut.readLine())
            .as("every silent client saw the SLB end its connection, none got a byte")
            .isEqualTo("ended " + SILENT + " data 0");
        assertThat(silent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> slb.registry().get("slb_connections_active").gauge().value() == 0);
      } finally {
        silent.destroyForcibly();
      }
    }
  }
}
