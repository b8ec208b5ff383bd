package io.shopstack.dns.cdn;

import io.shopstack.dns.authoritative.AuthoritativeConfig;
import io.shopstack.dns.cdn.gslb.GslbSettings;
import java.util.Map;

/**
 * The CDN's DNS, loaded from {@code dns-cdn.yml}: an authoritative server (same keys as {@code
 * dns-authoritative.yml}) plus the GSLB's region map.
 */
public record CdnDnsConfig(
    String instance,
    String bind,
    int dnsPort,
    int adminPort,
    int maxUdpPayload,
    int tcpIdleSeconds,
    String zones,
    Map<String, String> zoneVariables,
    GslbSettings gslb) {

  public CdnDnsConfig {
    if (gslb == null) {
      throw new IllegalArgumentException("dns-cdn needs a gslb: section");
    }
  }

  AuthoritativeConfig authoritative() {
    return new AuthoritativeConfig(
        instance, bind, dnsPort, adminPort, maxUdpPayload, tcpIdleSeconds, zones, zoneVariables);
  }
}
