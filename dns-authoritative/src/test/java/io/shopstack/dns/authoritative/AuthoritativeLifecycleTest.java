package io.shopstack.dns.authoritative;

import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static io.shopstack.common.testing.ServerLeftovers.threadsOf;
import static io.shopstack.dns.testing.DnsServerStops.assertAdminPortInUseFailsTheStart;
import static io.shopstack.dns.testing.DnsServerStops.assertIdleConnectionClosedAtOnce;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.testing.TcpDnsClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping an authoritative server as an operator does: ports in use, TCP clients. */
class AuthoritativeLifecycleTest {
  @TempDir Path dir;

  /** The shop zone, plus a zone from a file so that the zone watcher runs too. */
  private String zones() throws IOException {
    Path zone = dir.resolve("lab.test.zone");
    Files.copy(getClass().getResourceAsStream("/zones/lab.test.zone"), zone);
    return "shop.example.=classpath:zones/shop.example.zone,lab.test.=" + zone;
  }

  @Test
  void anAdminPortInUseFailsTheStartAfterDnsWasBoundAndLeavesNothingOpen() throws Exception {
    int dnsPort = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int adminPort = taken.getLocalPort();
      AuthoritativeServer server =
          new AuthoritativeServer(
              TestDns.config("auth-admin-taken", dnsPort, adminPort, zones(), 1, 5));
      assertAdminPortInUseFailsTheStart("auth-admin-taken", server::start, adminPort, dnsPort);
    }
  }

  @Test
  void closeShutsAnIdleTcpConnectionAtOnceAndEndsEveryThread() throws Exception {
    AuthoritativeServer server =
        new AuthoritativeServer(TestDns.config("auth-stop", 0, 0, zones(), 1, 60)).start();
    assertThat(threadsOf("auth-stop")).anyMatch(name -> name.startsWith("auth-stop-zone-watch"));
    assertIdleConnectionClosedAtOnce(
        "auth-stop",
        server.dnsPort(),
        server.adminPort(),
        TcpDnsClient.query("www.shop.example.", 80),
        server::close);
  }
}
