package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.server.Transport;
import io.shopstack.common.testing.ExternalCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replacing SLB takes the running one's listening sockets through its Unix runtime API (HAProxy's
 * {@code -x} and {@code _getsocks}) instead of binding its own beside them: clients keep connecting
 * from four threads while the old one hands over and stops, and not one of them is reset or left
 * without an answer; the runtime API's path then leads to the new SLB.
 */
class ListenerHandoverTest {
  private static final int CLIENT_THREADS = 16;

  @TempDir Path dir;

  /** Clients that connect, read the backend's name and count what happened, until stopped. */
  private static final class Clients implements AutoCloseable {
    final Map<String, AtomicInteger> reached = new ConcurrentHashMap<>();
    final AtomicInteger failed = new AtomicInteger();
    final List<String> failures = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Clients(InetSocketAddress vip) {
      for (int i = 0; i < CLIENT_THREADS; i++) {
        Thread thread =
            new Thread(
                () -> {
                  // Bounded: a test that hangs stops by itself after this many connections.
                  for (int n = 0; n < 200_000 && running.get(); n++) {
                    once(vip);
                  }
                },
                "client-" + i);
        thread.start();
        threads.add(thread);
      }
    }

    private void once(InetSocketAddress vip) {
      try (Socket socket = new Socket(vip.getAddress(), vip.getPort())) {
        socket.setSoTimeout(5000);
        String line =
            new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (line == null) {
          fail("closed without an answer");
        } else {
          reached.computeIfAbsent(line, k -> new AtomicInteger()).incrementAndGet();
        }
      } catch (IOException e) {
        fail(e.toString());
      }
    }

    private synchronized void fail(String why) {
      failed.incrementAndGet();
      if (failures.size() < 5) {
        failures.add(why);
      }
    }

    int total() {
      return reached.values().stream().mapToInt(AtomicInteger::get).sum() + failed.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(10_000);
      }
    }
  }

  private static String command(Path socket, String line) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
      channel.shutdownOutput();
      return new String(
          java.nio.channels.Channels.newInputStream(channel).readAllBytes(),
          StandardCharsets.UTF_8);
    }
  }

  private static void awaitConnections(Clients clients, int atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (clients.total() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void theReplacingSlbTakesTheSocketsAndNoClientIsResetWhileTheOldOneStops() throws Exception {
    Path api = dir.resolve("slb.sock");
    try (var before = TcpBackends.named("order-1");
        var after = TcpBackends.named("order-2");
        SlbServer old =
            new SlbServer(
                    SlbConfigs.inFrontOf(before.hostPort())
                        .instance("slb-old")
                        .runtimeApi("unix:" + api)
                        .maxConnections(2)
                        .shutdownSeconds(5)
                        .build())
                .start()) {
      assertThat(old.transport()).as("SCM_RIGHTS needs epoll").isEqualTo(Transport.EPOLL);
      InetSocketAddress vip = old.listenAddresses().get(0);
      assertThat(command(api, "show servers state")).contains(before.hostPort());
      SlbServer replacement = null;
      try (Clients clients = new Clients(vip)) {
        awaitConnections(clients, 500);
        replacement =
            new SlbServer(
                    SlbConfigs.inFrontOf(after.hostPort())
                        .instance("slb-new")
                        .listen("127.0.0.1:" + vip.getPort())
                        .runtimeApi("unix:" + api)
                        .build())
                .takingListenersFrom(api)
                .start();
        assertThat(replacement.listenAddresses()).containsExactly(vip);
        int atSwitch = clients.total();
        old.close();
        assertThat(old.accepting()).isFalse();
        awaitConnections(clients, atSwitch + 2_000);
        clients.close();

        assertThat(clients.failures).as("failures").isEmpty();
        assertThat(clients.failed.get()).isZero();
        assertThat(clients.reached.get("order-2").get())
            .as("clients after the switch reach the new SLB's backend")
            .isGreaterThan(1_000);
        assertThat(command(api, "show servers state"))
            .as("the path leads to the new SLB")
            .contains(after.hostPort())
            .doesNotContain(before.hostPort());
      } finally {
        if (replacement != null) {
          replacement.close();
        }
      }
      assertThat(Files.exists(api, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .as("the last SLB removes the path it published")
          .isFalse();
    }
  }

  /** As operators do it: {@code SlbMain --listeners-from=PATH}, then SIGTERM to the old process. */
  @Test
  void anSlbProcessStartedWithListenersFromTakesTheRunningOnesPlace() throws Exception {
    Path api = dir.resolve("slb.sock");
    Path oldConfig = dir.resolve("old.yml");
    Path newConfig = dir.resolve("new.yml");
    String runtimeApi = "runtimeApi: \"unix:" + api + "\"\n";
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2")) {
      Files.writeString(
          oldConfig,
          ConfigReloadTest.file("roundrobin", order1.hostPort())
                  .replace("shutdownSeconds: 1", "shutdownSeconds: 30")
              + runtimeApi);
      try (SlbProcess old = new SlbProcess(oldConfig)) {
        int port = old.awaitPort();
        InetSocketAddress vip = new InetSocketAddress("127.0.0.1", port);
        Files.writeString(
            newConfig,
            ConfigReloadTest.file("roundrobin", order2.hostPort())
                    .replace("127.0.0.1:0\"]", "127.0.0.1:" + port + "\"]")
                + runtimeApi);
        try (NamedSession before = new NamedSession(vip);
            SlbProcess replacement = new SlbProcess(newConfig, "--listeners-from=" + api)) {
          assertThat(replacement.awaitPort()).isEqualTo(port);
          assertThat(replacement.output())
              .anyMatch(l -> l.contains("listening sockets over from " + api));
          ExternalCommand.run(Duration.ofSeconds(10), "kill", "-TERM", String.valueOf(old.pid()))
              .assertSuccess();
          // Until its signal handler has closed its copies, both accept from the same sockets;
          // then it accepts nothing more and lets its open session run.
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> NamedSession.backendsOfNewSessions(vip, 1).equals(List.of("order-2")));
          assertThat(NamedSession.backendsOfNewSessions(vip, 4)).containsOnly("order-2");
          assertThat(before.echo("still there")).isEqualTo("still there");
          assertThat(command(api, "show servers state")).contains(order2.hostPort());
          before.close(); // its last session ends: the old process exits
          await().atMost(Duration.ofSeconds(20)).until(() -> !old.isAlive());
        }
      }
    }
  }

  @Test
  void theSocketsAreHandedOverOnlyOnTheUnixSocketAndASecondSlbMayNotTakeTheSamePath()
      throws Exception {
    Path api = dir.resolve("slb.sock");
    try (var backend = TcpBackends.named("order-1");
        SlbServer running =
            new SlbServer(
                    SlbConfigs.inFrontOf(backend.hostPort())
                        .instance("slb-running")
                        .runtimeApi("unix:" + api)
                        .build())
                .start();
        SlbServer tcp =
            new SlbServer(
                    SlbConfigs.inFrontOf(backend.hostPort())
                        .instance("slb-tcp")
                        .runtimeApi("127.0.0.1:0")
                        .build())
                .start()) {
      assertThat(RuntimeApiTest.command(tcp.runtimeApiAddress(), "_getsocks"))
          .isEqualTo("error: _getsocks only on a Unix runtime API socket\n\n");

      SlbServer second =
          new SlbServer(
              SlbConfigs.inFrontOf(backend.hostPort())
                  .instance("slb-second")
                  .runtimeApi("unix:" + api)
                  .build());
      assertThatThrownBy(second::start)
          .hasMessageContaining("an SLB already answers on " + api)
          .hasMessageContaining("--listeners-from=" + api);
      second.close();
      assertThat(command(api, "show servers state"))
          .as("the running one still answers")
          .contains(backend.hostPort());
    }
    assertThatThrownBy(() -> SlbConfigs.inFrontOf("127.0.0.1:1").runtimeApi("unix:").build())
        .hasMessageContaining("runtimeApi unix: needs a path");
  }
}
