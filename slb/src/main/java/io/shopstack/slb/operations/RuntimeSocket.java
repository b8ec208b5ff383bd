package io.shopstack.slb.operations;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * One runtime API socket, HAProxy's {@code stats socket <address> level <level>}: a TCP address or
 * a Unix socket's path, and what its clients may do. An SLB may have several, each with its own
 * level, as HAProxy may: a monitoring system reads {@code show servers state} on a {@code user}
 * socket while the deploy tool adds servers and hands the listeners over on an {@code admin} one.
 *
 * @param tcp where it listens over TCP, or null for a Unix socket
 * @param unix the Unix socket's path, or null for TCP
 * @param level what its clients may do
 */
public record RuntimeSocket(InetSocketAddress tcp, Path unix, RuntimeLevel level) {
  public RuntimeSocket {
    if ((tcp == null) == (unix == null)) {
      throw new IllegalArgumentException("a runtime API socket is either TCP or Unix");
    }
  }

  @Override
  public String toString() {
    return (tcp != null ? tcp.getHostString() + ":" + tcp.getPort() : "unix:" + unix)
        + " level "
        + level.label();
  }
}
