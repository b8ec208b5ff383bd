package io.shopstack.dns.testing;

import static io.shopstack.common.testing.ServerLeftovers.assertNothingLeftOpen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.common.server.ServerStartException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.xbill.DNS.Message;

/**
 * The start and stop every DNS server must get right, checked the same way for each kind: a port in
 * use fails the start and leaves nothing open; a stop closes an idle TCP connection at once.
 */
public final class DnsServerStops {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private DnsServerStops() {}

  /**
   * The variables that make a DNS service's shipped YAML an instance of its own on 127.0.0.1, with
   * the shutdown deadline in seconds.
   */
  public static Map<String, String> instanceVariables(
      String instance, int dnsPort, int adminPort, int shutdownSeconds) {
    return Map.of(
        "SHOP_INSTANCE", instance,
        "SHOP_BIND", "127.0.0.1",
        "SHOP_DNS_PORT", String.valueOf(dnsPort),
        "SHOP_ADMIN_PORT", String.valueOf(adminPort),
        "SHOP_SHUTDOWN_SECONDS", String.valueOf(shutdownSeconds));
  }

  /**
   * {@code start} must fail on {@code takenAdminPort} after DNS was bound on {@code dnsPort}, and
   * leave no thread of {@code instance} and neither DNS socket (UDP, TCP) behind.
   */
  public static void assertAdminPortInUseFailsTheStart(
      String instance, ThrowingCallable start, int takenAdminPort, int dnsPort) throws Exception {
    assertThatThrownBy(start)
        .isInstanceOf(ServerStartException.class)
        // NIO says "Address already in use" (a BindException); native epoll puts "bind(..) failed
        // with error(-98): " in front of it (a NativeIoException).
        .hasMessageStartingWith(
            instance + ": cannot bind admin endpoint on 127.0.0.1:" + takenAdminPort + ": ")
        .hasMessageEndingWith("Address already in use")
        .hasCauseInstanceOf(IOException.class);
    assertReleased(instance, new InetSocketAddress(LOOPBACK, dnsPort));
  }

  /**
   * Asks {@code query} over one TCP connection, then runs {@code close} while the connection sits
   * idle: the server must close it and {@code close} return. Give the server a shutdown deadline
   * far above this check's 20-second guards, so a close that waited for it fails here.
   */
  public static void assertIdleConnectionClosedAtOnce(
      String instance, int dnsPort, int adminPort, Message query, Runnable close) throws Exception {
    try (Socket idle = TcpDnsClient.connect(dnsPort)) {
      assertThat(TcpDnsClient.exchange(idle, query).getHeader().getID())
          .isEqualTo(query.getHeader().getID());

      CompletableFuture<Void> closing = CompletableFuture.runAsync(close);
      assertThat(idle.getInputStream().read()).as("closed by the server").isEqualTo(-1);
      closing.get(20, TimeUnit.SECONDS);
    }
    assertReleased(
        instance,
        new InetSocketAddress(LOOPBACK, dnsPort),
        new InetSocketAddress(LOOPBACK, adminPort));
  }

  /** No thread of {@code instance} left, the TCP addresses free, and the DNS port free for UDP. */
  private static void assertReleased(
      String instance, InetSocketAddress dns, InetSocketAddress... tcp) throws Exception {
    InetSocketAddress[] all = new InetSocketAddress[tcp.length + 1];
    all[0] = dns;
    System.arraycopy(tcp, 0, all, 1, tcp.length);
    assertNothingLeftOpen(instance, all);
    try (DatagramSocket udp = new DatagramSocket(dns)) {
      assertThat(udp.getLocalPort()).as("DNS over UDP released").isEqualTo(dns.getPort());
    }
  }
}
