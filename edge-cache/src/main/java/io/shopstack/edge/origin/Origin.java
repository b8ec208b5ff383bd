package io.shopstack.edge.origin;

import java.net.InetSocketAddress;

/**
 * One backend a cache forwards to. The address is resolved once, when the routes are read, so no
 * DNS lookup ever blocks an event loop (Varnish resolves its backends at VCL load for the same
 * reason).
 */
public record Origin(String name, InetSocketAddress address) {
  @Override
  public String toString() {
    return name;
  }
}
