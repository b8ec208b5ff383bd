package io.shopstack.dns.cdn;

import static io.shopstack.common.testing.ServerLeftovers.assertNothingLeftOpen;
import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.ServerStartException;
import io.shopstack.dns.testing.TcpDnsClient;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;

/** The GSLB started and stopped from the shipped dns-cdn.yml, as the topology launcher does. */
class CdnDnsLifecycleTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static CdnDnsConfig config(String instance, int dnsPort, int adminPort, int shutdown) {
    return ConfigLoader.load(
        CdnDnsConfig.class,
        "classpath:dns-cdn.yml",
        Map.of(
            "SHOP_INSTANCE", instance,
            "SHOP_BIND", "127.0.0.1",
            "SHOP_DNS_PORT", String.valueOf(dnsPort),
            "SHOP_ADMIN_PORT", String.valueOf(adminPort),
            "SHOP_SHUTDOWN_SECONDS", String.valueOf(shutdown)));
  }

  @Test
  void anAdminPortInUseFailsTheStartAndReleasesTheDnsPort() throws Exception {
    int dnsPort = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      CdnDnsServer server = new CdnDnsServer(config("cdn-taken", dnsPort, taken.getLocalPort(), 5));

      assertThatThrownBy(server::start)
          .isInstanceOf(ServerStartException.class)
          .hasMessage(
              "cdn-taken: cannot bind admin endpoint on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": Address already in use")
          .hasCauseInstanceOf(BindException.class);

      assertNothingLeftOpen("cdn-taken", new InetSocketAddress(LOOPBACK, dnsPort));
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, dnsPort))) {
        assertThat(udp.getLocalPort()).as("DNS over UDP released").isEqualTo(dnsPort);
      }
    }
  }

  @Test
  void closeShutsAnIdleTcpConnectionAtOnce() throws Exception {
    // A deadline far beyond the hang guards below: close() returning proves it did not wait.
    CdnDnsServer server = new CdnDnsServer(config("cdn-stop", 0, 0, 60)).start();
    InetSocketAddress dns = new InetSocketAddress(LOOPBACK, server.dnsPort());
    InetSocketAddress admin = new InetSocketAddress(LOOPBACK, server.adminPort());

    try (Socket idle = TcpDnsClient.connect(dns.getPort())) {
      Message answer = TcpDnsClient.exchange(idle, TcpDnsClient.query("shop.cdn.example.", 1));
      assertThat(answer.getHeader().getID()).isEqualTo(1);

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      assertThat(idle.getInputStream().read()).as("closed by the server").isEqualTo(-1);
      closing.get(20, TimeUnit.SECONDS);
    }
    assertNothingLeftOpen("cdn-stop", dns, admin);
  }
}
