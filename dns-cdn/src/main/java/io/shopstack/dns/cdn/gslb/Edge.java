package io.shopstack.dns.cdn.gslb;

import java.net.InetAddress;

/** One CDN edge node (a cache instance) a client may be sent to. */
public record Edge(String region, InetAddress address) {
  @Override
  public String toString() {
    return region + "/" + address.getHostAddress();
  }
}
