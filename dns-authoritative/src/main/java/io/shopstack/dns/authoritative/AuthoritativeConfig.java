package io.shopstack.dns.authoritative;

import io.shopstack.common.server.Transport;
import io.shopstack.dns.edns.Edns;
import io.shopstack.dns.server.DnsServer;
import java.time.Duration;
import java.util.Map;

/**
 * What an authoritative server instance needs; loaded from {@code dns-authoritative.yml}. The same
 * program is the root, TLD and shop server: only {@code instance}, {@code bind} and {@code zones}
 * differ.
 *
 * @param instance name in logs, metrics and thread names (dns-root, dns-tld, dns-shop)
 * @param bind address for DNS and admin (the instance's own IP locally, 0.0.0.0 in Docker)
 * @param dnsPort UDP and TCP port for DNS (1053 locally, 53 in Docker; 0 picks one in tests)
 * @param adminPort /health, /metrics and POST /reload
 * @param maxUdpPayload EDNS payload we advertise and honour; absent means {@link Edns#PAYLOAD_SIZE}
 * @param tcpIdleSeconds idle DNS-over-TCP connections are closed after this (RFC 7766 6.2.3)
 * @param zones {@code origin=location} list, comma separated (see {@code ZoneSource})
 * @param zoneVariables placeholders available inside zone file templates (SHOP_NET)
 * @param tcpConnectionsPerClient TCP connections one client address may hold open (RFC 7766 6.2.2)
 * @param rrl response rate limiting for UDP; absent or 0 responses per second means off
 * @param transfer who may AXFR and whom to NOTIFY; absent means nobody may, nobody notified
 * @param zoneCheckSeconds how often zone files given as paths are checked for changes; 0 = never
 * @param tcpConnections TCP connections all clients together may hold open (BIND's tcp-clients)
 * @param tcpQuerySeconds a query begun over TCP must have arrived whole within this
 * @param shutdownSeconds how long a stopping server lets TCP connections finish the queries in
 *     progress before it cuts them; absent means {@link #DEFAULT_SHUTDOWN_SECONDS}
 * @param transport {@code auto} (native epoll where it loads, else NIO; the default), {@code epoll}
 *     (fail to start without it) or {@code nio}
 * @param udpChannels UDP sockets sharing the DNS port on epoll (SO_REUSEPORT), one event loop each;
 *     0 (the default) means one per core the JVM may use
 *     <p>Absent (zero) TCP and EDNS settings take {@link DnsServer.Settings}' defaults.
 */
public record AuthoritativeConfig(
    String instance,
    String bind,
    int dnsPort,
    int adminPort,
    Integer maxUdpPayload,
    int tcpIdleSeconds,
    String zones,
    Map<String, String> zoneVariables,
    int tcpConnectionsPerClient,
    RateLimit rrl,
    Transfer transfer,
    int zoneCheckSeconds,
    int tcpConnections,
    int tcpQuerySeconds,
    Integer shutdownSeconds,
    String transport,
    int udpChannels) {

  /** The default shutdown deadline, as the shipped dns-authoritative.yml has it. */
  public static final int DEFAULT_SHUTDOWN_SECONDS = 5;

  /**
   * BIND-style response rate limiting per client /24 (IPv4) or /56 (IPv6).
   *
   * @param responsesPerSecond answers per second a prefix may get over UDP; 0 turns RRL off
   * @param window seconds over which a flood is remembered: a prefix that went over stays limited
   *     until its debt is paid off, at most this long
   * @param slip every slip-th limited answer goes out as an empty TC=1 answer, so a real client
   *     behind a spoofed-looking prefix retries over TCP; 0 drops all, 1 slips all
   */
  public record RateLimit(int responsesPerSecond, int window, int slip) {
    public static final RateLimit OFF = new RateLimit(0, 5, 2);

    public RateLimit {
      if (responsesPerSecond < 0 || window < 1 || slip < 0) {
        throw new IllegalArgumentException(
            String.format(
                "rrl needs responsesPerSecond >= 0, window >= 1, slip >= 0: %d, %d, %d",
                responsesPerSecond, window, slip));
      }
    }
  }

  /**
   * Zone transfers and change notification (RFC 5936, RFC 1996).
   *
   * @param allow CIDRs allowed to AXFR over TCP, comma separated (e.g. 127.0.0.1/32,10.0.0.0/8)
   * @param secondaries host:port, comma separated, sent a NOTIFY when a serial changes
   */
  public record Transfer(String allow, String secondaries) {
    /** Nobody may transfer a zone until the configuration says who: zone data is not public. */
    public static final Transfer DEFAULT = new Transfer("", "");

    public Transfer {
      allow = allow == null ? "" : allow;
      secondaries = secondaries == null ? "" : secondaries;
    }
  }

  /** A configuration without the transport settings: auto, one UDP socket per core. */
  public AuthoritativeConfig(
      String instance,
      String bind,
      int dnsPort,
      int adminPort,
      Integer maxUdpPayload,
      int tcpIdleSeconds,
      String zones,
      Map<String, String> zoneVariables,
      int tcpConnectionsPerClient,
      RateLimit rrl,
      Transfer transfer,
      int zoneCheckSeconds,
      int tcpConnections,
      int tcpQuerySeconds,
      Integer shutdownSeconds) {
    this(
        instance,
        bind,
        dnsPort,
        adminPort,
        maxUdpPayload,
        tcpIdleSeconds,
        zones,
        zoneVariables,
        tcpConnectionsPerClient,
        rrl,
        transfer,
        zoneCheckSeconds,
        tcpConnections,
        tcpQuerySeconds,
        shutdownSeconds,
        "auto",
        0);
  }

  public AuthoritativeConfig {
    transport = Transport.checkedName(transport);
    if (udpChannels < 0) {
      throw new IllegalArgumentException("udpChannels must be >= 0: " + udpChannels);
    }
    zoneVariables = zoneVariables == null ? Map.of() : Map.copyOf(zoneVariables);
    if (maxUdpPayload == null) {
      maxUdpPayload = Edns.PAYLOAD_SIZE;
    }
    if (maxUdpPayload < 512 || maxUdpPayload > 65535) {
      throw new IllegalArgumentException("maxUdpPayload must be 512..65535: " + maxUdpPayload);
    }
    if (tcpIdleSeconds == 0) {
      tcpIdleSeconds = DnsServer.Settings.DEFAULT_TCP_IDLE_SECONDS;
    }
    if (tcpConnectionsPerClient == 0) {
      tcpConnectionsPerClient = DnsServer.Settings.DEFAULT_TCP_CONNECTIONS_PER_CLIENT;
    }
    if (tcpConnections == 0) {
      tcpConnections = DnsServer.Settings.DEFAULT_TCP_CONNECTIONS;
    }
    if (tcpQuerySeconds == 0) {
      tcpQuerySeconds = DnsServer.Settings.DEFAULT_TCP_QUERY_SECONDS;
    }
    rrl = rrl == null ? RateLimit.OFF : rrl;
    transfer = transfer == null ? Transfer.DEFAULT : transfer;
    if (shutdownSeconds == null) {
      shutdownSeconds = DEFAULT_SHUTDOWN_SECONDS;
    }
    if (shutdownSeconds < 0) {
      throw new IllegalArgumentException("shutdownSeconds must be >= 0: " + shutdownSeconds);
    }
    if (zoneCheckSeconds < 0) {
      throw new IllegalArgumentException("zoneCheckSeconds must be >= 0: " + zoneCheckSeconds);
    }
  }

  /** The I/O transport to run on, {@code auto} resolved against this system. */
  public Transport ioTransport() {
    return Transport.named(transport, instance);
  }

  public Duration shutdownDeadline() {
    return Duration.ofSeconds(shutdownSeconds);
  }
}
