package io.shopstack.dns.resolver;

import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static io.shopstack.common.testing.ServerLeftovers.threadsOf;
import static io.shopstack.dns.testing.DnsServerStops.assertAdminPortInUseFailsTheStart;
import static io.shopstack.dns.testing.DnsServerStops.assertIdleConnectionClosedAtOnce;
import static io.shopstack.dns.testing.DnsServerStops.instanceVariables;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.config.ConfigLoader;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The resolver started and stopped from the shipped dns-resolver.yml: ports in use, TCP clients.
 */
class ResolverLifecycleTest {
  private static ResolverConfig config(String instance, int dnsPort, int adminPort, int shutdown) {
    return ConfigLoader.load(
        ResolverConfig.class,
        "classpath:dns-resolver.yml",
        instanceVariables(instance, dnsPort, adminPort, shutdown));
  }

  @Test
  void anAdminPortInUseFailsTheStartAndLeavesNoResolverThreadNorSocket() throws Exception {
    int dnsPort = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int adminPort = taken.getLocalPort();
      ResolverServer resolver = new ResolverServer(config("resolver-taken", dnsPort, adminPort, 5));
      assertAdminPortInUseFailsTheStart("resolver-taken", resolver::start, adminPort, dnsPort);
    }
  }

  @Test
  void closeShutsAnIdleTcpConnectionAtOnceAndEndsEveryThread() throws Exception {
    ResolverServer resolver = new ResolverServer(config("resolver-stop", 0, 0, 60)).start();
    assertThat(threadsOf("resolver-stop")).anyMatch(name -> name.startsWith("resolver-stop-dns-"));
    // Refused at once (zone transfers are for authoritative servers): no upstream needed.
    Message transfer =
        Message.newQuery(Record.newRecord(Name.fromString("shop.example."), Type.AXFR, DClass.IN));
    assertIdleConnectionClosedAtOnce(
        "resolver-stop", resolver.dnsPort(), resolver.adminPort(), transfer, resolver::close);
  }
}
