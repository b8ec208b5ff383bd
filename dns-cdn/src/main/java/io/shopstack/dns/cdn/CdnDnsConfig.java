package io.shopstack.dns.cdn;

import io.shopstack.dns.authoritative.AuthoritativeConfig;
import io.shopstack.dns.cdn.gslb.GslbSettings;

/**
 * The CDN's DNS, loaded from {@code dns-cdn.yml}: an authoritative server, configured exactly like
 * {@code dns-authoritative.yml} under {@code server:} (so every server feature, TCP limits, RRL,
 * AXFR, reload, is there for the CDN zone too), plus the GSLB's region map.
 */
public record CdnDnsConfig(AuthoritativeConfig server, GslbSettings gslb) {

  public CdnDnsConfig {
    if (server == null) {
      throw new IllegalArgumentException("dns-cdn needs a server: section");
    }
    if (gslb == null) {
      throw new IllegalArgumentException("dns-cdn needs a gslb: section");
    }
  }
}
