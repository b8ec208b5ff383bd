package io.shopstack.slb;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the configured listen addresses into the set of sockets to bind. The SLB listens on the VIP
 * and on its datacenter-side address; in Docker it binds 0.0.0.0 instead, and a wildcard socket
 * already accepts on every address of its port, so binding a specific address on the same port as
 * well would only fail with "address in use". So: exact duplicates collapse, and an address covered
 * by a wildcard on the same port is dropped. Port 0 (tests) is never a duplicate: each such entry
 * gets its own ephemeral port.
 */
final class ListenAddresses {
  private ListenAddresses() {}

  static List<InetSocketAddress> collapse(List<InetSocketAddress> configured) {
    List<InetSocketAddress> binds = new ArrayList<>();
    for (InetSocketAddress address : configured) {
      boolean ephemeral = address.getPort() == 0;
      if (ephemeral || (!binds.contains(address) && !coveredByWildcard(address, configured))) {
        binds.add(address);
      }
    }
    return List.copyOf(binds);
  }

  /**
   * Refuses two frontends that would bind the same address and port, or one a wildcard on the same
   * port of the other covers: the kernel would refuse the second bind, or (with SO_REUSEPORT, which
   * the SLB sets) silently spread one port's clients over both pools.
   */
  static void checkNoneShared(List<FrontendConfig> frontends) {
    for (int i = 0; i < frontends.size(); i++) {
      for (int j = i + 1; j < frontends.size(); j++) {
        for (InetSocketAddress a : frontends.get(i).listenAddresses()) {
          for (InetSocketAddress b : frontends.get(j).listenAddresses()) {
            if (overlap(a, b)) {
              throw new IllegalArgumentException(
                  "slb: frontends "
                      + frontends.get(i).name()
                      + " and "
                      + frontends.get(j).name()
                      + " both listen on "
                      + (a.getAddress().isAnyLocalAddress() ? b : a));
            }
          }
        }
      }
    }
  }

  static boolean overlap(InetSocketAddress a, InetSocketAddress b) {
    return a.getPort() != 0
        && a.getPort() == b.getPort()
        && (a.getAddress().equals(b.getAddress())
            || a.getAddress().isAnyLocalAddress()
            || b.getAddress().isAnyLocalAddress());
  }

  private static boolean coveredByWildcard(
      InetSocketAddress address, List<InetSocketAddress> configured) {
    return !address.getAddress().isAnyLocalAddress()
        && configured.stream()
            .anyMatch(
                other ->
                    other.getPort() == address.getPort() && other.getAddress().isAnyLocalAddress());
  }
}
