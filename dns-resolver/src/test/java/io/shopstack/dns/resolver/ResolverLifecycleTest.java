package io.shopstack.dns.resolver;

import static io.shopstack.common.testing.ServerLeftovers.assertNothingLeftOpen;
import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static io.shopstack.common.testing.ServerLeftovers.threadsOf;
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
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The resolver started and stopped from the shipped dns-resolver.yml: ports in use, TCP clients.
 */
class ResolverLifecycleTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static ResolverConfig config(String instance, int dnsPort, int adminPort, int shutdown) {
    return ConfigLoader.load(
        ResolverConfig.class,
        "classpath:dns-resolver.yml",
        Map.of(
            "SHOP_INSTANCE", instance,
            "SHOP_BIND", "127.0.0.1",
            "SHOP_DNS_PORT", String.valueOf(dnsPort),
            "SHOP_ADMIN_PORT", String.valueOf(adminPort),
            "SHOP_SHUTDOWN_SECONDS", String.valueOf(shutdown)));
  }

  @Test
  void anAdminPortInUseFailsTheStartAndLeavesNoResolverThreadNorSocket() throws Exception {
    int dnsPort = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      ResolverServer resolver =
          new ResolverServer(config("resolver-taken", dnsPort, taken.getLocalPort(), 5));

      assertThatThrownBy(resolver::start)
          .isInstanceOf(ServerStartException.class)
          .hasMessage(
              "resolver-taken: cannot bind admin endpoint on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": Address already in use")
          .hasCauseInstanceOf(BindException.class);

      assertNothingLeftOpen("resolver-taken", new InetSocketAddress(LOOPBACK, dnsPort));
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, dnsPort))) {
        assertThat(udp.getLocalPort()).as("DNS over UDP released").isEqualTo(dnsPort);
      }
    }
  }

  @Test
  void closeShutsAnIdleTcpConnectionAtOnceAndEndsEveryThread() throws Exception {
    // A deadline far beyond the hang guards below: close() returning proves it did not wait.
    ResolverServer resolver = new ResolverServer(config("resolver-stop", 0, 0, 60)).start();
    InetSocketAddress dns = new InetSocketAddress(LOOPBACK, resolver.dnsPort());
    InetSocketAddress admin = new InetSocketAddress(LOOPBACK, resolver.adminPort());

    try (Socket idle = TcpDnsClient.connect(dns.getPort())) {
      // Answered at once, without the upstream servers this test does not run.
      Message transfer =
          Message.newQuery(
              Record.newRecord(Name.fromString("shop.example."), Type.AXFR, DClass.IN));
      assertThat(TcpDnsClient.exchange(idle, transfer).getRcode()).isEqualTo(Rcode.REFUSED);
      assertThat(threadsOf("resolver-stop")).anyMatch(name -> name.contains("-dns-"));

      CompletableFuture<Void> closing = CompletableFuture.runAsync(resolver::close);
      assertThat(idle.getInputStream().read()).as("closed by the server").isEqualTo(-1);
      closing.get(20, TimeUnit.SECONDS);
    }
    assertNothingLeftOpen("resolver-stop", dns, admin);
  }
}
