package io.shopstack.dns.cdn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.shopstack.dns.authoritative.AuthoritativeConfig;
import io.shopstack.dns.authoritative.AuthoritativeDefaults;
import io.shopstack.dns.cdn.gslb.GslbSettings;
import java.util.Map;

/**
 * The CDN's DNS, loaded from {@code dns-cdn.yml}: an authoritative server (so every server feature,
 * TCP limits, RRL, AXFR, reload, is there for the CDN zone too), plus the GSLB's region map. Its
 * {@code server:} section lists only what differs from {@code dns-authoritative.yml}, whose values
 * fill in the rest.
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

  /** How the YAML is read: {@code server:} keys laid over the authoritative server's defaults. */
  @JsonCreator
  static CdnDnsConfig fromYaml(
      @JsonProperty("server") Map<String, Object> server, @JsonProperty("gslb") GslbSettings gslb) {
    if (server == null) {
      throw new IllegalArgumentException("dns-cdn needs a server: section");
    }
    return new CdnDnsConfig(AuthoritativeDefaults.overlaid(server), gslb);
  }
}
