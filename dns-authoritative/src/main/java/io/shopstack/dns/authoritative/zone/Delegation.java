package io.shopstack.dns.authoritative.zone;

import java.util.List;
import org.xbill.DNS.RRset;

/**
 * A zone cut, prepared once at load: the child's NS set (authority section of a referral) and the
 * addresses of those name servers that this zone knows (glue, additional section). Without glue a
 * resolver could not reach {@code ns1.shop.example.} to ask it about {@code shop.example.}.
 */
public record Delegation(RRset nameServers, List<RRset> glue) {
  public Delegation {
    glue = List.copyOf(glue);
  }
}
