package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.AcceptBatch;
import io.shopstack.slb.backend.BackendState;
import io.shopstack.slb.proxy.FrontendLimit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload inside the running SLB applies every key of a frontend, not only its backends: listen
 * addresses are bound and closed, and balance, PROXY header, timeouts and maxconn apply to the
 * clients accepted after it, while the splices already open keep the settings they began with (as
 * the connections of HAProxy's old process do); the checks take the new schedule at once; and a
 * file whose addresses cannot be bound changes nothing. All on real sockets, through {@code POST
 * /reload} as an operator sends it.
 */
class ReloadedSettingsTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir Path dir;

  /** The transport of the single-frontend files; {@link ReloadedSettingsOnNioTest} runs NIO. */
  String transport() {
    return "auto";
  }

  /** The file as an operator edits it: fast checks, then the keys of {@code changes}. */
  private String file(Map<String, String> changes) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("instance", "slb-settings");
    keys.put("listen", "[\"127.0.0.1:0\"]");
    keys.put("admin", "\"127.0.0.1:0\"");
    keys.put("shutdownSeconds", "1");
    keys.put("transport", transport());
    keys.put("healthCheck", "{type: tcp, intervalMillis: 100, rise: 2, fall: 3}");
    keys.putAll(changes);
    StringBuilder yaml = new StringBuilder();
    keys.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
    return yaml.toString();
  }

  private static String backends(TcpBackends.Fixture... backends) {
    StringBuilder list = new StringBuilder("[");
    for (TcpBackends.Fixture backend : backends) {
      list.append(list.length() > 1 ? ", " : "").append('"').append(backend.hostPort()).append('"');
    }
    return list.append(']').toString();
  }

  private SlbServer start(String yaml) throws Exception {
    return SlbConfigs.startFromFile(dir.resolve("slb.yml"), yaml);
  }

  /** Writes {@code yaml} as the file and reloads; the answer. */
  private String reload(SlbServer slb, String yaml) throws Exception {
    Files.writeString(dir.resolve("slb.yml"), yaml);
    return slb.reload("test");
  }

  @Test
  void listenAddressesComeAndGoWhileTheOpenSessionFlowsOn() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        SlbServer slb = start(file(Map.of("backends", backends(order1))))) {
      InetSocketAddress first = slb.listenAddresses().get(0);
      try (NamedSession before = new NamedSession(first)) {
        String both = "[\"127.0.0.1:0\", \"127.0.0.2:0\"]";
        assertThat(reload(slb, file(Map.of("backends", backends(order1), "listen", both))))
            .isEqualTo("reloaded\nlisten [127.0.0.1:0] -> [127.0.0.1:0, 127.0.0.2:0]\n");
        assertThat(slb.listenAddresses()).hasSize(2).startsWith(first);
        InetSocketAddress second = slb.listenAddresses().get(1);
        assertThat(second.getAddress().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(NamedSession.backendsOfNewSessions(second, 2)).containsOnly("order-1");
        assertThat(NamedSession.backendsOfNewSessions(first, 2)).containsOnly("order-1");

        String secondOnly = "[\"127.0.0.2:0\"]";
        assertThat(reload(slb, file(Map.of("backends", backends(order1), "listen", secondOnly))))
            .isEqualTo("reloaded\nlisten [127.0.0.1:0, 127.0.0.2:0] -> [127.0.0.2:0]\n");
        assertThat(slb.listenAddresses()).containsExactly(second);
        assertThatThrownBy(() -> new Socket(first.getAddress(), first.getPort()).close())
            .as("the address the file no longer has is closed")
            .isInstanceOf(ConnectException.class);
        assertThat(NamedSession.backendsOfNewSessions(second, 2)).containsOnly("order-1");
        assertThat(before.echo("accepted on the closed address"))
            .isEqualTo("accepted on the closed address");
      }
    }
  }

  @Test
  void newClientsTakeTheReloadedSettingsWhileOpenSplicesKeepTheirs() throws Exception {
    try (var reader = TcpBackends.proxyProtocolReader();
        SlbServer slb =
            start(
                file(
                    Map.of(
                        "backends", backends(reader),
                        "proxyProtocol", "none",
                        "idleTimeoutSeconds", "300")))) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      try (ClaimedSession before = new ClaimedSession(vip)) {
        assertThat(before.claim).startsWith("no PROXY header");

        assertThat(
                reload(
                    slb,
                    file(
                        Map.of(
                            "backends", backends(reader),
                            "proxyProtocol", "v1",
                            "idleTimeoutSeconds", "1"))))
            .isEqualTo("reloaded\nproxyProtocol none -> v1\nidleTimeoutSeconds 300 -> 1\n");

        try (ClaimedSession after = new ClaimedSession(vip)) {
          assertThat(after.claim).startsWith("v1 TCP4 127.0.0.1:").endsWith(" -> " + hostPort(vip));
          long silentFrom = System.nanoTime();
          assertThat(after.in.readLine()).as("closed by the new idle timeout").isNull();
          long silentMillis = (System.nanoTime() - silentFrom) / 1_000_000;
          assertThat(silentMillis).isBetween(900L, 5_000L);
        }
        // Silent as long as the one just closed, and more: the old splice keeps its 300 s.
        assertThat(before.echo("still open")).isEqualTo("still open");
      }
    }
  }

  /**
   * A client of {@link TcpBackends#proxyProtocolReader}: sends the 12 bytes the reader needs to
   * tell a header from none, then reads what the header claimed; after that, lines are echoed.
   */
  private static final class ClaimedSession implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final String claim;

    ClaimedSession(InetSocketAddress vip) throws IOException {
      socket = new Socket(vip.getAddress(), vip.getPort());
      socket.setSoTimeout(10_000);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      socket.getOutputStream().write("twelve bytes\n".getBytes(StandardCharsets.UTF_8));
      claim = in.readLine();
      // Without a header the reader took the 12 bytes into its claim and echoes the newline; with
      // one it echoes the whole line: either way one line more.
      in.readLine();
    }

    String echo(String line) throws IOException {
      socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      return in.readLine();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aReloadedMaxconnCountsTheClientsAcceptedAfterIt() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        SlbServer slb = start(file(Map.of("backends", backends(order1))))) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      try (NamedSession before = new NamedSession(vip)) {
        assertThat(reload(slb, file(Map.of("backends", backends(order1), "maxConnections", "1"))))
            .isEqualTo("reloaded\nmaxConnections 0 -> 1\n");

        try (NamedSession served = new NamedSession(vip);
            Socket waiting = new Socket(vip.getAddress(), vip.getPort())) {
          assertThat(served.backend)
              .as("the one opened before is not counted")
              .isEqualTo("order-1");
          waiting.setSoTimeout(700);
          InputStream in = waiting.getInputStream();
          assertThatThrownBy(in::read)
              .as("the second client since the reload waits for a slot")
              .isInstanceOf(SocketTimeoutException.class);
          assertThat(slb.frontendLimit().held() + (slb.frontendLimit().paused() ? 1 : 0))
              .isPositive();

          served.close();
          waiting.setSoTimeout(10_000);
          assertThat(in.read()).as("served once the slot is free").isEqualTo('o');

          assertThat(reload(slb, file(Map.of("backends", backends(order1), "maxConnections", "0"))))
              .isEqualTo("reloaded\nmaxConnections 1 -> 0\n");
          assertThat(slb.frontendLimit()).isNull();
          try (NamedSession third = new NamedSession(vip);
              NamedSession fourth = new NamedSession(vip)) {
            assertThat(third.backend + fourth.backend).isEqualTo("order-1order-1");
          }
        }
        assertThat(before.echo("untouched")).isEqualTo("untouched");
      }
    }
  }

  @Test
  void aMaxconnReachedBeforeTheReloadStillHoldsBackTheClientsBeyondIt() throws Exception {
    int waitingPerAddress = 100;
    try (var order1 = TcpBackends.namedEcho("order-1");
        SlbServer slb = start(file(Map.of("backends", backends(order1), "maxConnections", "1")));
        NamedSession served = new NamedSession(slb.listenAddresses().get(0))) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      List<Socket> waiting = new ArrayList<>();
      try {
        connect(waiting, vip, waitingPerAddress);
        await().atMost(BOUND).until(() -> slb.frontendLimit().paused());

        String both = "[\"127.0.0.1:0\", \"127.0.0.2:0\"]";
        assertThat(
                reload(
                    slb,
                    file(
                        Map.of(
                            "backends", backends(order1), "maxConnections", "2", "listen", both))))
            .isEqualTo(
                "reloaded\nlisten [127.0.0.1:0] -> [127.0.0.1:0, 127.0.0.2:0]\n"
                    + "maxConnections 1 -> 2\n");
        connect(waiting, slb.listenAddresses().get(1), waitingPerAddress);
        FrontendLimit limit = slb.frontendLimit();
        await().atMost(BOUND).until(() -> limit.open() == 2 && limit.paused());
        Thread.sleep(300); // what a socket left accepting would take in meanwhile
        // Each socket may finish the batch of accepts it was in when the limit was reached; none
        // may go on accepting past it (a socket added to, or left by, a paused limit did).
        assertThat(limit.held())
            .as("clients held past the new limit, of %d waiting", 2 * waitingPerAddress)
            .isLessThanOrEqualTo(AcceptBatch.CLIENTS_PER_TURN * slb.listeners().size());
        assertThat(limit.open()).isEqualTo(2);
        assertThat(served.echo("untouched")).isEqualTo("untouched");
      } finally {
        for (Socket socket : waiting) {
          socket.close();
        }
      }
    }
  }

  private static void connect(List<Socket> into, InetSocketAddress address, int count)
      throws IOException {
    for (int i = 0; i < count; i++) {
      into.add(new Socket(address.getAddress(), address.getPort()));
    }
  }

  @Test
  void anAddressBoundForAReloadTakesNoClientBeforeTheReloadIsDone() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        SlbServer slb = start(file(Map.of("backends", backends(order1), "maxConnections", "1")))) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      Path next = dir.resolve("next.yml");
      Files.writeString(
          next,
          file(
              Map.of(
                  "backends",
                  backends(order1),
                  "maxConnections",
                  "1",
                  "listen",
                  "[\"127.0.0.1:0\", \"127.0.0.2:0\"]")));
      Frontend frontend = slb.frontends().get(0);
      // The first step of a reload, as ConfigReload takes it; the second never comes.
      List<FrontendSockets.Listening> bound =
          frontend.bindAdded(
              ConfigLoader.load(SlbConfig.class, next.toString(), Map.of()).frontends().get(0));
      InetSocketAddress pending = (InetSocketAddress) bound.get(0).sockets().get(0).localAddress();
      NamedSession served = new NamedSession(vip);
      try (Socket waiting = new Socket(vip.getAddress(), vip.getPort())) {
        await().atMost(BOUND).until(() -> slb.frontendLimit().paused());
        served.close();
        waiting.setSoTimeout(10_000);
        assertThat(waiting.getInputStream().read()).isEqualTo('o');
      }
      // The last one gone, the limit resumes accepting: on its own sockets only.
      await().atMost(BOUND).until(() -> !slb.frontendLimit().paused());
      try (Socket early = new Socket(pending.getAddress(), pending.getPort())) {
        early.setSoTimeout(500);
        assertThatThrownBy(() -> early.getInputStream().read())
            .as("nobody accepts on a socket of a reload not yet done")
            .isInstanceOf(SocketTimeoutException.class);
        Frontend.unbind(bound);
      }
      assertThat(NamedSession.backendsOfNewSessions(vip, 1)).containsOnly("order-1");
      assertThat(slb.listenAddresses()).containsExactly(vip);
    }
  }

  @Test
  void aReloadedShutdownDeadlineHoldsForTheNextStop() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        SlbServer slb = start(file(Map.of("backends", backends(order1))))) {
      try (NamedSession open = new NamedSession(slb.listenAddresses().get(0))) {
        assertThat(reload(slb, file(Map.of("backends", backends(order1), "shutdownSeconds", "2"))))
            .isEqualTo("reloaded\nshutdownSeconds 1 -> 2\n");
        long stopping = System.nanoTime();
        slb.close();
        long millis = (System.nanoTime() - stopping) / 1_000_000;
        assertThat(millis)
            .as("the open splice ran until the new deadline")
            .isBetween(1_900L, 8_000L);
        assertThat(open.in.readLine()).as("then cut").isNull();
      }
    }
  }

  @Test
  void theChecksTakeTheReloadedScheduleAtOnce() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        var order2 = TcpBackends.namedEcho("order-2")) {
      String slow = "{type: tcp, intervalMillis: 60000, rise: 1, fall: 1}";
      String fast = "{type: tcp, intervalMillis: 100, rise: 1, fall: 2}";
      try (SlbServer slb =
          start(file(Map.of("backends", backends(order1, order2), "healthCheck", slow)))) {
        order2.kill();
        assertThat(slb.backends().find(order2.hostPort()).state())
            .as("no probe within the next minute would see it")
            .isEqualTo(BackendState.UP);

        assertThat(
                reload(
                    slb, file(Map.of("backends", backends(order1, order2), "healthCheck", fast))))
            .isEqualTo(
                "reloaded\nhealthCheck tcp inter 60000 timeout 60000 rise 1 fall 1"
                    + " -> tcp inter 100 timeout 100 rise 1 fall 2\n");

        await()
            .atMost(BOUND)
            .until(() -> slb.backends().find(order2.hostPort()).state() == BackendState.DOWN);
        assertThat(slb.healthChecks().of(slb.backends().find(order2.hostPort())).history())
            .last()
            .satisfies(t -> assertThat(t.reason()).startsWith("2 checks failed"));
        assertThat(slb.backends().find(order1.hostPort()).state()).isEqualTo(BackendState.UP);
        assertThat(NamedSession.backendsOfNewSessions(slb.listenAddresses().get(0), 3))
            .containsOnly("order-1");
      }
    }
  }

  @Test
  void aFileWhoseAddressCannotBeBoundChangesNothing() throws Exception {
    try (var order1 = TcpBackends.namedEcho("order-1");
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        SlbServer slb = start(file(Map.of("backends", backends(order1))))) {
      String listen = "[\"127.0.0.1:0\", \"127.0.0.1:" + taken.getLocalPort() + "\"]";
      Files.writeString(
          dir.resolve("slb.yml"),
          file(Map.of("backends", backends(order1), "listen", listen, "balance", "leastconn")));

      assertThatThrownBy(() -> slb.reload("test"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("configuration not reloaded, nothing changed: ")
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
      assertThat(slb.listenAddresses()).hasSize(1);
      assertThat(slb.frontends().get(0).config().balance()).isEqualTo("roundrobin");
      assertThat(NamedSession.backendsOfNewSessions(slb.listenAddresses().get(0), 2))
          .containsOnly("order-1");
    }
  }

  @Test
  void frontendsAddedByAFileThatCannotBeBoundAreClosedAgain() throws Exception {
    try (var www1 = TcpBackends.namedEcho("www-1");
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String file =
          """
          instance: slb-settings
          admin: "127.0.0.1:0"
          shutdownSeconds: 1
          frontends:
            - {name: www, listen: ["127.0.0.1:0"], backends: ["%1$s"]}
          """
              .formatted(www1.hostPort());
      String added =
          """
            - {name: api, listen: ["127.0.0.2:0"], backends: ["%1$s"]}
            - {name: admin-api, listen: ["127.0.0.1:%2$d"], backends: ["%1$s"]}
          """
              .formatted(www1.hostPort(), taken.getLocalPort());
      try (SlbServer slb = start(file)) {
        Files.writeString(dir.resolve("slb.yml"), file + added);

        assertThatThrownBy(() -> slb.reload("test"))
            .hasMessageStartingWith("configuration not reloaded, nothing changed: ")
            .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        assertThat(slb.frontends()).extracting(Frontend::name).containsExactly("www");
        assertThat(slb.registry().scrape())
            .as("the frontend opened before the failing one left nothing behind")
            .doesNotContain("frontend=\"api\"");
        assertThat(listeningOn127002())
            .as("nor a socket: nothing listens on 127.0.0.2 (the kernel's table)")
            .isEmpty();
      }
    }
  }

  @Test
  void anAddressDoesNotMoveBetweenFrontendsInAReload() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String twoFrontends =
        """
        instance: slb-settings
        admin: "127.0.0.1:0"
        shutdownSeconds: 1
        frontends:
          - {name: www, listen: ["%s"], backends: ["%s"]}
          - {name: api, listen: ["%s"], backends: ["%s"]}
        """;
    try (var www = TcpBackends.namedEcho("www-1");
        var api = TcpBackends.namedEcho("api-1");
        SlbServer slb =
            start(
                twoFrontends.formatted(
                    "127.0.0.1:" + port, www.hostPort(), "127.0.0.1:0", api.hostPort()))) {
      Files.writeString(
          dir.resolve("slb.yml"),
          twoFrontends.formatted(
              "127.0.0.1:0", www.hostPort(), "127.0.0.1:" + port, api.hostPort()));

      assertThatThrownBy(() -> slb.reload("test"))
          .hasMessageStartingWith("configuration not reloaded, nothing changed: ")
          .hasMessageContaining(
              "frontend api would listen on 127.0.0.1:" + port + ", which frontend www listens on");
      InetSocketAddress wwwAddress = slb.frontend("www").listenAddresses().get(0);
      assertThat(wwwAddress.getPort()).isEqualTo(port);
      assertThat(NamedSession.backendsOfNewSessions(wwwAddress, 2)).containsOnly("www-1");
    }
  }

  @Test
  void aFrontendComesWithAReloadAndGoesWhileItsSessionFlowsOn() throws Exception {
    String file =
        """
        instance: slb-settings
        admin: "127.0.0.1:0"
        runtimeApi: "127.0.0.1:0"
        shutdownSeconds: 1
        healthCheck: {type: tcp, intervalMillis: 100, rise: 2, fall: 3}
        frontends:
        """;
    try (var www1 = TcpBackends.namedEcho("www-1");
        var api1 = TcpBackends.namedEcho("api-1")) {
      String www =
          "  - {name: www, listen: [\"127.0.0.1:0\"], backends: [\"" + www1.hostPort() + "\"]}\n";
      String api =
          "  - {name: api, listen: [\"127.0.0.2:0\"], backends: [\"" + api1.hostPort() + "\"]}\n";
      try (SlbServer slb = start(file + www)) {
        assertThat(reload(slb, file + www + api))
            .isEqualTo(
                "reloaded\nfrontend api added, listening on [127.0.0.2:0], backends ["
                    + api1.hostPort()
                    + "]\n");
        InetSocketAddress apiAddress = slb.frontend("api").listenAddresses().get(0);
        assertThat(NamedSession.backendsOfNewSessions(apiAddress, 2)).containsOnly("api-1");
        assertThat(RuntimeApiTest.command(slb.runtimeApiAddress(), "show servers state"))
            .contains("api " + api1.hostPort() + " UP");
        assertThat(adminPost(slb, "/backends/api/" + api1.hostPort() + "/drain"))
            .as("the admin port steers the added frontend's backends too")
            .startsWith(api1.hostPort() + " drain (was ready)");
        assertThat(adminPost(slb, "/backends/" + api1.hostPort() + "/ready"))
            .startsWith(api1.hostPort() + " ready (was drain)");
        assertThat(slb.registry().scrape())
            .contains(
                "slb_connections_accepted_total{frontend=\"api\",instance=\"slb-settings\"} 2.0");

        try (NamedSession open = new NamedSession(apiAddress)) {
          assertThat(reload(slb, file + www))
              .isEqualTo("reloaded\nfrontend api removed, 1 connections open finish on it\n");
          assertThat(slb.frontend("api")).isNull();
          assertThatThrownBy(() -> new Socket(apiAddress.getAddress(), apiAddress.getPort()))
              .isInstanceOf(ConnectException.class);
          assertThat(open.echo("flows on")).isEqualTo("flows on");
          assertThat(slb.registry().scrape())
              .as("its series stay while its splice runs")
              .contains("slb_connections_active{frontend=\"api\",instance=\"slb-settings\"} 1.0");
          assertThat(NamedSession.backendsOfNewSessions(slb.listenAddresses().get(0), 1))
              .containsOnly("www-1");

          assertThat(reload(slb, file + www + api))
              .as("not under its name while the removed one's series still count its splice")
              .isEqualTo(
                  "reloaded\nfrontend api not added yet: the one removed under that name still"
                      + " finishes 1 connections; reload again once they have ended\n");
          assertThat(slb.frontend("api")).isNull();
          assertThat(open.echo("still flowing")).isEqualTo("still flowing");
        }
        await().atMost(BOUND).until(() -> !slb.registry().scrape().contains("frontend=\"api\""));

        assertThat(reload(slb, file + www + api)).contains("frontend api added");
        InetSocketAddress again = slb.frontend("api").listenAddresses().get(0);
        assertThat(NamedSession.backendsOfNewSessions(again, 1)).containsOnly("api-1");
        assertThat(slb.registry().scrape())
            .as("counted afresh")
            .contains(
                "slb_connections_accepted_total{frontend=\"api\",instance=\"slb-settings\"} 1.0");
      }
    }
  }

  /** The kernel's listening TCP sockets on 127.0.0.2, from /proc/net/tcp (0200007F:port). */
  private static List<String> listeningOn127002() throws IOException {
    return Files.readAllLines(Path.of("/proc/net/tcp")).stream()
        .map(String::trim)
        .filter(line -> line.split("\\s+")[1].startsWith("0200007F:"))
        .filter(line -> line.split("\\s+")[3].equals("0A"))
        .toList();
  }

  /** {@code POST path} on the admin port: the answer's body. */
  private static String adminPost(SlbServer slb, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slb.adminPort() + path))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
