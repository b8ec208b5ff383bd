package io.shopstack.dns.server;

import static io.shopstack.common.testing.ServerLeftovers.assertNothingLeftOpen;
import static io.shopstack.dns.testing.TcpDnsClient.connect;
import static io.shopstack.dns.testing.TcpDnsClient.query;
import static io.shopstack.dns.testing.TcpDnsClient.read;
import static io.shopstack.dns.testing.TcpDnsClient.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopstack.common.server.ServerLifecycle;
import io.shopstack.common.server.ServerStartException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * The DNS transport on a service's {@link ServerLifecycle}: a port in use fails the start and
 * leaves nothing open; a stop closes idle TCP connections at once and busy ones after their answer.
 */
class DnsServerLifecycleTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  // Far longer than any wait below: a close that returns proves it did not wait for the deadline.
  private static final Duration LONG_DEADLINE = Duration.ofSeconds(60);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aTcpPortInUseFailsTheStartAndReleasesTheUdpSocket() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      int port = taken.getLocalPort();
      DnsServer server = server("dns-tcp-taken", port, (query, client, transport) -> null);

      assertThatThrownBy(server::start)
          .isInstanceOf(ServerStartException.class)
          .hasMessage(
              "dns-tcp-taken: cannot bind DNS over TCP on 127.0.0.1:"
                  + port
                  + ": Address already in use")
          .hasCauseInstanceOf(BindException.class);

      assertNothingLeftOpen("dns-tcp-taken");
      try (DatagramSocket udpAgain = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
        assertThat(udpAgain.getLocalPort()).as("the UDP socket was released").isEqualTo(port);
      }
    }
  }

  @Test
  void closeShutsAnIdleConnectionAtOnceWithoutWaitingForTheDeadline() throws Exception {
    ServerLifecycle lifecycle = new ServerLifecycle("dns-idle-stop", LONG_DEADLINE);
    DnsServer server = server("dns-idle-stop", 0, echo());
    lifecycle.start(server::open);
    int port = server.port();

    try (Socket idle = connect(port)) {
      write(idle, query("once.test.", 7));
      assertThat(read(idle).getHeader().getID()).isEqualTo(7);

      CompletableFuture<Void> closing = CompletableFuture.runAsync(lifecycle::close);
      assertThat(idle.getInputStream().read()).as("closed by the server").isEqualTo(-1);
      closing.get(20, TimeUnit.SECONDS); // a hang guard; the deadline is 60 s
    }
    assertNothingLeftOpen("dns-idle-stop", new InetSocketAddress(LOOPBACK, port));
    try (DatagramSocket udpAgain = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
      assertThat(udpAgain.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void aQueryInProgressAtTheStopGetsItsAnswerAndThenTheConnectionCloses() throws Exception {
    AtomicReference<Message> asked = new AtomicReference<>();
    CompletableFuture<Message> answer = new CompletableFuture<>();
    ServerLifecycle lifecycle = new ServerLifecycle("dns-busy-stop", LONG_DEADLINE);
    DnsServer server =
        server(
            "dns-busy-stop",
            0,
            (query, client, transport) -> {
              asked.set(query);
              return answer;
            });
    lifecycle.start(server::open);
    int port = server.port();

    try (Socket busy = connect(port);
        Socket idle = connect(port)) {
      write(busy, query("slow.test.", 42));
      await().atMost(Duration.ofSeconds(10)).until(() -> asked.get() != null);

      CompletableFuture<Void> closing = CompletableFuture.runAsync(lifecycle::close);
      // The idle one going proves the stop reached the connections; the busy one is still waiting.
      assertThat(idle.getInputStream().read()).as("idle connection closed").isEqualTo(-1);
      assertThat(closing).as("the stop waits for the query in progress").isNotDone();

      answer.complete(echoOf(asked.get()));
      assertThat(read(busy).getHeader().getID()).as("the answer still arrives").isEqualTo(42);
      assertThat(busy.getInputStream().read()).as("then the server closes").isEqualTo(-1);
      closing.get(20, TimeUnit.SECONDS);
    }
    assertNothingLeftOpen("dns-busy-stop", new InetSocketAddress(LOOPBACK, port));
  }

  @Test
  void aStandaloneServerRetriesPortZeroAndStopsWithItsOwnLifecycle() throws Exception {
    DnsServer server = server("dns-own", 0, echo()).start();
    int port = server.port();
    try (Socket socket = connect(port)) {
      write(socket, query("own.test.", 9));
      assertThat(read(socket).getHeader().getID()).isEqualTo(9);
    }
    server.close();
    assertNothingLeftOpen("dns-own", new InetSocketAddress(LOOPBACK, port));
  }

  private DnsServer server(String name, int port, QueryHandler handler) {
    return new DnsServer(
        new DnsServer.Settings(name, new InetSocketAddress(LOOPBACK, port)), handler, registry);
  }

  private static QueryHandler echo() {
    return (query, client, transport) -> CompletableFuture.completedFuture(echoOf(query));
  }

  private static Message echoOf(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    return response;
  }
}
