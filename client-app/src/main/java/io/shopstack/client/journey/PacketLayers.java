package io.shopstack.client.journey;

import io.shopstack.client.http.HttpExchange;
import io.shopstack.client.http.HttpRequest;
import io.shopstack.client.net.KernelRoute;
import io.shopstack.client.net.PacketPath;
import io.shopstack.client.net.RouterCrossing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The purchase's request as the chapter draws it, one layer per line, innermost first: the HTTP
 * message, the TCP ports, the IP addresses and TTL, the link (interface, its own MAC, the next hop
 * and the MAC the frame was addressed to). Every value comes from the exchange's own socket, the
 * kernel (route, neighbour table, the interface's address in sysfs, the default TTL) or a router's
 * capture of this connection's SYN, never from configuration.
 */
final class PacketLayers {
  private static final Path SYS_NET = Path.of("/sys/class/net");
  private static final Path DEFAULT_TTL = Path.of("/proc/sys/net/ipv4/ip_default_ttl");

  private PacketLayers() {}

  static void print(int number, HttpExchange exchange, PacketPath path, JourneyPrinter out) {
    HttpRequest request = exchange.request();
    InetSocketAddress local = exchange.local();
    InetSocketAddress remote = exchange.remote();
    out.step(
        number,
        "The packet, layer by layer",
        "the purchase's request as it left the phone: each layer wraps the one above it");
    out.note(
        "HTTP  %s, Host: %s, %d-byte body (the request printed above)"
            .formatted(request.requestLine(), request.host(), request.body().length));
    out.note(
        "TCP   source port %d -> destination port %d (this connection's two ends)"
            .formatted(local.getPort(), remote.getPort()));
    out.note(
        "IP    %s -> %s, %s"
            .formatted(
                local.getAddress().getHostAddress(),
                remote.getAddress().getHostAddress(),
                ttl(path)));
    out.note("link  " + link(path));
  }

  /** The TTL the phone sent: as the first router captured it, else the kernel's default. */
  private static String ttl(PacketPath path) {
    if (!path.crossings().isEmpty()) {
      RouterCrossing first = path.crossings().get(0);
      return "TTL %d (as %s captured it arriving%s)"
          .formatted(
              first.arrived().ttl(),
              first.router(),
              first.complete() ? "; it left with " + first.left().ttl() : "");
    }
    return read(DEFAULT_TTL)
        .map(ttl -> "TTL " + ttl + " (the kernel's net.ipv4.ip_default_ttl)")
        .orElse("TTL not readable here");
  }

  private static String link(PacketPath path) {
    KernelRoute route = path.route();
    if (route == null) {
      return "not known here (no ip command)";
    }
    String device = route.device();
    String own =
        "out of %s (MAC %s)"
            .formatted(device, read(SYS_NET.resolve(device).resolve("address")).orElse("unknown"));
    if (route.gateway() == null) {
      return own + ", no next hop: the destination is on this link, the frame goes straight to it";
    }
    String router = path.routerAt(route.gateway()).map(name -> " (" + name + ")").orElse("");
    return own
        + " to next hop "
        + route.gateway()
        + router
        + (path.gateway() == null
            ? ", whose MAC is not in the neighbour table"
            : " at MAC %s (neighbour table, %s)"
                .formatted(path.gateway().mac(), path.gateway().state()));
  }

  /**
   * The first line of a kernel file, read line by line: {@code Files.readString} trusts the size
   * procfs reports and returned "6" for {@code ip_default_ttl}'s "64".
   */
  private static Optional<String> read(Path file) {
    try {
      return Files.readAllLines(file).stream().findFirst().map(String::trim);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
