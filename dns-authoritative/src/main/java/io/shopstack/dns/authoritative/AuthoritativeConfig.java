package io.shopstack.dns.authoritative;

import java.util.Map;

/**
 * What an authoritative server instance needs; loaded from {@code dns-authoritative.yml}. The same
 * program is the root, TLD and shop server: only {@code instance}, {@code bind} and {@code zones}
 * differ.
 *
 * @param instance name in logs, metrics and thread names (dns-root, dns-tld, dns-shop)
 * @param bind address for DNS and admin (the instance's own IP locally, 0.0.0.0 in Docker)
 * @param dnsPort UDP and TCP port for DNS (1053 locally, 53 in Docker; 0 picks one in tests)
 * @param adminPort /health and /metrics
 * @param maxUdpPayload EDNS payload we advertise and honour (1232, DNS flag day 2020)
 * @param tcpIdleSeconds idle DNS-over-TCP connections are closed after this (RFC 7766 6.2.3)
 * @param zones {@code origin=location} list, comma separated (see {@code ZoneSource})
 * @param zoneVariables placeholders available inside zone file templates (SHOP_NET)
 */
public record AuthoritativeConfig(
    String instance,
    String bind,
    int dnsPort,
    int adminPort,
    int maxUdpPayload,
    int tcpIdleSeconds,
    String zones,
    Map<String, String> zoneVariables) {

  public AuthoritativeConfig {
    zoneVariables = zoneVariables == null ? Map.of() : Map.copyOf(zoneVariables);
    if (maxUdpPayload < 512 || maxUdpPayload > 65535) {
      throw new IllegalArgumentException("maxUdpPayload must be 512..65535: " + maxUdpPayload);
    }
  }
}
