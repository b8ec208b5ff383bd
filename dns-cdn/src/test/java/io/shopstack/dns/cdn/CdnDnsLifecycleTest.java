package io.shopstack.dns.cdn;

import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static io.shopstack.dns.testing.DnsServerStops.assertAdminPortInUseFailsTheStart;
import static io.shopstack.dns.testing.DnsServerStops.assertIdleConnectionClosedAtOnce;
import static io.shopstack.dns.testing.DnsServerStops.instanceVariables;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.dns.testing.TcpDnsClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The GSLB started and stopped from the shipped dns-cdn.yml, as the topology launcher does. */
class CdnDnsLifecycleTest {
  private static CdnDnsConfig config(String instance, int dnsPort, int adminPort, int shutdown) {
    return ConfigLoader.load(
        CdnDnsConfig.class,
        "classpath:dns-cdn.yml",
        instanceVariables(instance, dnsPort, adminPort, shutdown));
  }

  @Test
  void anAdminPortInUseFailsTheStartAndReleasesTheDnsPort() throws Exception {
    int dnsPort = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int adminPort = taken.getLocalPort();
      CdnDnsServer server = new CdnDnsServer(config("cdn-taken", dnsPort, adminPort, 5));
      assertAdminPortInUseFailsTheStart("cdn-taken", server::start, adminPort, dnsPort);
    }
  }

  @Test
  void closeShutsAnIdleTcpConnectionAtOnce() throws Exception {
    CdnDnsServer server = new CdnDnsServer(config("cdn-stop", 0, 0, 60)).start();
    assertIdleConnectionClosedAtOnce(
        "cdn-stop",
        server.dnsPort(),
        server.adminPort(),
        TcpDnsClient.query("shop.cdn.example.", 1),
        server::close);
  }
}
