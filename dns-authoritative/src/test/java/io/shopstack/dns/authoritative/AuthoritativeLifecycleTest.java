package io.shopstack.dns.authoritative;

import static io.shopstack.common.testing.ServerLeftovers.assertNothingLeftOpen;
import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static io.shopstack.common.testing.ServerLeftovers.threadsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.common.server.ServerStartException;
import io.shopstack.dns.testing.TcpDnsClient;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Starting and stopping an authoritative server as an operator does: ports in use, TCP clients. */
class AuthoritativeLifecycleTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String SHOP = "shop.example.=classpath:zones/shop.example.zone";

  @Test
  void anAdminPortInUseFailsTheStartAfterDnsWasBoundAndLeavesNothingOpen(@TempDir Path dir)
      throws Exception {
    // A zone file, so the start would also open the zone watcher's thread.
    Path zone = dir.resolve("lab.test.zone");
    Files.copy(getClass().getResourceAsStream("/zones/lab.test.zone"), zone);
    int dnsPort = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      AuthoritativeServer server =
          new AuthoritativeServer(
              TestDns.config(
                  "auth-admin-taken",
                  dnsPort,
                  taken.getLocalPort(),
                  SHOP + ",lab.test.=" + zone,
                  1,
                  5));

      assertThatThrownBy(server::start)
          .isInstanceOf(ServerStartException.class)
          .hasMessage(
              "auth-admin-taken: cannot bind admin endpoint on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": Address already in use")
          .hasCauseInstanceOf(BindException.class);

      assertNothingLeftOpen("auth-admin-taken", new InetSocketAddress(LOOPBACK, dnsPort));
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, dnsPort))) {
        assertThat(udp.getLocalPort()).as("DNS over UDP released").isEqualTo(dnsPort);
      }
    }
  }

  @Test
  void closeShutsAnIdleTcpConnectionAtOnceAndEndsEveryThread(@TempDir Path dir) throws Exception {
    Path zone = dir.resolve("lab.test.zone");
    Files.copy(getClass().getResourceAsStream("/zones/lab.test.zone"), zone);
    // A deadline far beyond the hang guards below: close() returning proves it did not wait.
    AuthoritativeServer server =
        new AuthoritativeServer(
                TestDns.config("auth-stop", 0, 0, SHOP + ",lab.test.=" + zone, 1, 60))
            .start();
    InetSocketAddress dns = new InetSocketAddress(LOOPBACK, server.dnsPort());
    InetSocketAddress admin = new InetSocketAddress(LOOPBACK, server.adminPort());
    assertThat(threadsOf("auth-stop")).anyMatch(name -> name.startsWith("auth-stop-zone-watch"));

    try (Socket idle = TcpDnsClient.connect(dns.getPort())) {
      Message answer = TcpDnsClient.exchange(idle, TestDns.query("www.shop.example.", Type.A));
      assertThat(TestDns.section(answer, Section.ANSWER))
          .containsExactly("www.shop.example. 300 A 127.28.0.80");

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      assertThat(idle.getInputStream().read()).as("closed by the server").isEqualTo(-1);
      closing.get(20, TimeUnit.SECONDS);
    }
    assertNothingLeftOpen("auth-stop", dns, admin);
    try (DatagramSocket udp = new DatagramSocket(dns)) {
      assertThat(udp.getLocalPort()).isEqualTo(dns.getPort());
    }
  }
}
