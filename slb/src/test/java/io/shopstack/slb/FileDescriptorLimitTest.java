package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.testing.ExternalCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "file-descriptor limit reached gives a logged refusal, never a crash": an SLB process
 * whose descriptor limit is lowered (prlimit) to a few above what it holds, then given more clients
 * than that. A process of its own, because the limit is per process and the test's JVM needs its
 * descriptors.
 */
class FileDescriptorLimitTest {
  private static final int CLIENTS = 20;
  private static final int HEADROOM = 8; // descriptors left: a few splices of two each

  @TempDir Path dir;

  @Test
  void outOfDescriptorsIsLoggedAndSurvivedAndServingResumes() throws Exception {
    try (var echo = new LoopEcho()) {
      Path config = dir.resolve("slb.yml");
      Files.writeString(
          config,
          """
          instance: slb-fd-limit
          listen: ["127.0.0.1:0"]
          backends: ["%s"]
          admin: "127.0.0.1:0"
          connectTimeoutMillis: 1000
          idleTimeoutSeconds: 300
          firstByteTimeoutSeconds: 300
          shutdownSeconds: 1
          transport: auto
          balance: roundrobin
          proxyProtocol: none
          healthCheck: {type: none, intervalMillis: 2000, rise: 2, fall: 3}
          """
              .formatted(echo.hostPort()));
      SlbProcess slb = new SlbProcess(config);
      List<Socket> clients = new ArrayList<>();
      try {
        int port = slb.awaitPort();
        int open = openDescriptors(slb.pid());
        ExternalCommand.run(
                Duration.ofSeconds(10),
                "prlimit",
                "--pid",
                String.valueOf(slb.pid()),
                "--nofile=" + (open + HEADROOM) + ":20000")
            .assertSuccess();

        int served = 0;
        for (int i = 0; i < CLIENTS; i++) {
          // The kernel completes the handshake whether or not the SLB can take the connection.
          Socket client = new Socket("127.0.0.1", port);
          clients.add(client);
          client.setSoTimeout(1000);
          if (answers(client, "order " + i)) {
            served++;
          }
        }
        assertThat(served).as("some clients served within the limit").isPositive();
        assertThat(served).as("not all: the limit was reached").isLessThan(CLIENTS);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> slb.output().stream().anyMatch(l -> l.contains("Too many open files")));
        assertThat(slb.isAlive()).as("no crash").isTrue();

        for (Socket client : clients) {
          client.close();
        }
        clients.clear();
        // Descriptors freed: a new client is served again, without a restart.
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  try (Socket client = new Socket("127.0.0.1", port)) {
                    client.setSoTimeout(1000);
                    return answers(client, "after");
                  }
                });
        assertThat(slb.isAlive()).isTrue();
        assertThat(slb.output())
            .as("refusals logged a few times, not once per client")
            .filteredOn(l -> l.contains("Too many open files"))
            .hasSizeLessThan(CLIENTS);
        // Accepting failed, then worked again: logged as state changes, not per attempt (two
        // sockets retry every second each).
        assertThat(slb.output())
            .filteredOn(l -> l.contains("cannot accept clients on"))
            .isNotEmpty()
            .hasSizeLessThanOrEqualTo(3);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () -> slb.output().stream().anyMatch(l -> l.contains("accepting clients again")));
        slb.output().stream()
            .filter(l -> l.contains("Too many open files") || l.contains("accepting clients again"))
            .forEach(System.out::println);
      } finally {
        for (Socket client : clients) {
          client.close();
        }
        slb.close();
      }
    }
  }

  private static boolean answers(Socket client, String line) {
    try {
      client.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      var in =
          new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
      return line.equals(in.readLine());
    } catch (IOException unanswered) {
      return false;
    }
  }

  private static int openDescriptors(long pid) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return (int) fds.count();
    }
  }
}
