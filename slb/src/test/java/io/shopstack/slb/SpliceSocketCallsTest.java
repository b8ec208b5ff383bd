package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.epoll.Epoll;
import io.shopstack.common.server.KnownFamilySockets;
import io.shopstack.common.testing.SystemCallTrace;
import io.shopstack.slb.health.HealthCheck;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Neither side of a splice on epoll reads its send buffer size when it is made nor its linger
 * setting when it closes: the backend side is proxy.BackendEpollChannel, the client side
 * stack-common's AcceptedEpollChannel; Netty's own socket channel reads both on each (100 of each
 * for 50 connections before the backend side was ours, 50 before the client side was). And each
 * side's socket is put in the epoll set once, with its read interest (200 epoll_ctl for 50
 * connections before, counting the backend's wait for writability), a backend connect that
 * completed within its call is taken as done, neither side asks for an address unless something
 * needs it (nor for its socket's address family, which is known), and only the backend side sets
 * TCP_NODELAY (the client's socket inherits the listener's). Counted with strace on this JVM: 50
 * connections through the SLB to a backend that answers and hangs up.
 */
class SpliceSocketCallsTest {
  private static final int CONNECTIONS = 50;

  @Test
  void neitherSideReadsSendBufferOrLinger(@TempDir Path dir) throws Exception {
    assertThat(Epoll.isAvailable()).as("native epoll loads here (it ships in the jar)").isTrue();
    // Before the trace: its one check at first use makes sockets the slow way, and asks for them.
    assertThat(KnownFamilySockets.skipsFamilyCheck()).as("sockets made without the check").isTrue();
    List<String> traced;
    Set<String> slbThreads;
    try (var backend = TcpBackends.named("order-1");
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(backend.hostPort())
                        .transport("epoll")
                        .healthCheck(HealthCheck.NONE)
                        .build())
                .start();
        SystemCallTrace trace =
            SystemCallTrace.ofThisJvm(
                dir.resolve("calls.txt"),
                "getsockopt,setsockopt,epoll_ctl,getsockname,getpeername")) {
      for (int i = 0; i < CONNECTIONS; i++) {
        try (Socket client = new Socket()) {
          client.connect(slb.listenAddresses().get(0), 2000);
          client.setSoTimeout(5000);
          assertThat(TcpBackends.readAll(client.getInputStream())).isEqualTo("order-1\n");
        }
      }
      // Both sides of the last splice closed: every close has made its calls.
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  slb.registry().get("slb_connections_active").gauge().value() == 0
                      && slb.registry().get("slb_backend_connections_active").gauge().value() == 0);
      traced = trace.stopAndRead();
      slbThreads = SystemCallTrace.threadIds(name -> name.contains("-io-"));
    }
    // Only the SLB's event loops: the JDK's sockets of the test's clients and backend read
    // SO_LINGER at their own closes.
    List<String> calls =
        traced.stream().filter(line -> slbThreads.contains(line.split(" ", 2)[0])).toList();
    long sendBuffer = calls.stream().filter(line -> line.contains("SO_SNDBUF")).count();
    long linger = calls.stream().filter(line -> line.contains("SO_LINGER")).count();
    // The trace did see the loop: each backend connect is asked once whether it completed within
    // its call (its TCP state); on loopback it always has, so no connect waits for writability and
    // none is completed by reading SO_ERROR.
    assertThat(calls.stream().filter(line -> line.contains("TCP_INFO")).count())
        .as("TCP_INFO reads (one per backend connect)")
        .isEqualTo(CONNECTIONS);
    assertThat(calls.stream().filter(line -> line.contains("SO_ERROR")).count())
        .as("SO_ERROR reads")
        .isZero();
    assertThat(sendBuffer).as("SO_SNDBUF reads").isZero();
    assertThat(linger).as("SO_LINGER reads").isZero();
    // Each side joins the epoll set once, with its read interest: the client when accepted, the
    // backend once connected (Netty's way adds a client, then changes it when its backend is there;
    // and adds a backend waiting for writability, then changes it to reading). No interest in
    // writability at all: nothing waits for room in a socket here.
    List<String> adds = calls.stream().filter(line -> line.contains("EPOLL_CTL_ADD")).toList();
    assertThat(adds).as("sockets added to the epoll set").hasSize(2 * CONNECTIONS);
    assertThat(adds).as("added with read interest").allMatch(line -> line.contains("EPOLLIN"));
    assertThat(calls.stream().filter(line -> line.contains("EPOLLOUT")))
        .as("interest in writability")
        .isEmpty();
    assertThat(
            calls.stream()
                .filter(line -> line.contains("EPOLL_CTL_MOD") && line.contains("EPOLLIN"))
                .count())
        .as("read interest added later")
        .isZero();
    // Addresses are asked for only when wanted, and nothing here wants them; nor is either side's
    // address family, which is known (KnownFamilySockets). Netty's channels make four getsockname
    // per connection (the family check of each side's socket, the local address after accept and
    // after connect) and one getpeername (the backend's address after connect).
    assertThat(calls.stream().filter(line -> line.contains("getsockname(")).count())
        .as("getsockname calls")
        .isZero();
    assertThat(calls.stream().filter(line -> line.contains("getpeername(")).count())
        .as("getpeername calls")
        .isZero();
    // TCP_NODELAY is set once per connection, on the backend socket: the client's socket has it
    // from the listener (two per connection before).
    assertThat(calls.stream().filter(line -> line.contains("TCP_NODELAY")).count())
        .as("setsockopt(TCP_NODELAY) calls")
        .isEqualTo(CONNECTIONS);
  }
}
