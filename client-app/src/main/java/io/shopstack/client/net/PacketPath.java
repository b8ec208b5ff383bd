package io.shopstack.client.net;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How one connection's packets travelled from this phone to its destination, from three sources
 * that do not depend on each other: the kernel's routing decision and neighbour table (the first
 * hop), a TTL probe (every hop), and the routers' own captures (what each router did to the
 * connection's SYN). Each part is null or empty, with a note saying why, where it cannot be had.
 *
 * @param route the kernel's route to the destination, or null without {@code ip}
 * @param gateway the gateway's neighbour entry, or null (no gateway, or no entry)
 * @param hops the routers and then the destination, by TTL; empty with {@code hopsNote} saying why
 * @param crossings each router's capture of this connection's SYN, in the order it crossed them
 * @param capturesNote why {@code crossings} is empty, else null
 */
public record PacketPath(
    KernelRoute route,
    KernelRoute.Neighbour gateway,
    List<TtlProbe.Hop> hops,
    String hopsNote,
    List<RouterCrossing> crossings,
    String capturesNote) {

  // tcpdump writes each packet as it sees it; this covers a phone that reads before it is written.
  private static final Duration CAPTURE_WAIT = Duration.ofSeconds(3);

  public PacketPath {
    hops = List.copyOf(hops);
    crossings = List.copyOf(crossings);
  }

  /**
   * Observes the path of the connection {@code local} -> {@code destination} (the purchase, after
   * it ended); {@code local} null means the connection never opened, and there is no SYN to look
   * for.
   */
  public static PacketPath observe(InetSocketAddress local, InetSocketAddress destination) {
    return observe(local, destination, RouterCaptures.MOUNT);
  }

  static PacketPath observe(InetSocketAddress local, InetSocketAddress destination, Path captures) {
    KernelRoute route = KernelRoute.to(destination.getAddress()).orElse(null);
    KernelRoute.Neighbour gateway = route == null ? null : route.gatewayNeighbour().orElse(null);
    List<TtlProbe.Hop> hops = List.of();
    String hopsNote;
    if (route != null && route.gateway() == null && "lo".equals(route.device())) {
      hopsNote =
          "no hops: the destination is on lo, this host delivers to itself"
              + " (the local topology is flat loopback; the routers exist in Docker only)";
    } else {
      Optional<List<TtlProbe.Hop>> probed = TtlProbe.to(destination.getAddress());
      hops = probed.orElse(List.of());
      hopsNote =
          probed.isEmpty()
              ? "no hops: tracepath is not installed here, failed or did not finish"
              : hops.isEmpty() ? "no hops: tracepath got no answer" : null;
    }
    List<RouterCrossing> crossings = List.of();
    String capturesNote;
    if (RouterCaptures.absent(captures)) {
      capturesNote =
          "no router captures here ("
              + captures
              + " holds none: only the Docker stack has routers)";
    } else if (local == null) {
      capturesNote = "no connection, so no SYN to find in the routers' captures";
    } else {
      crossings = RouterCaptures.of(captures, local, destination, CAPTURE_WAIT);
      capturesNote =
          crossings.isEmpty()
              ? "no router captured this connection's SYN (the destination is reached without one)"
              : null;
    }
    return new PacketPath(route, gateway, hops, hopsNote, crossings, capturesNote);
  }

  /**
   * Only the kernel's view of the first hop (route and gateway), for a purchase whose whole path is
   * not wanted ({@code order}, {@code load}): no probe, no capture read.
   */
  public static PacketPath routeOnly(InetSocketAddress destination) {
    KernelRoute route = KernelRoute.to(destination.getAddress()).orElse(null);
    KernelRoute.Neighbour gateway = route == null ? null : route.gatewayNeighbour().orElse(null);
    return new PacketPath(
        route,
        gateway,
        List.of(),
        "not probed (only the journey probes the hops)",
        List.of(),
        "not looked for (only the journey reads the routers' captures)");
  }

  /** The router one of {@link #hops} is, by the address of one of its legs; empty if none is. */
  public Optional<String> routerAt(String address) {
    return crossings.stream()
        .filter(
            c -> legAt(c.inLeg(), address) || (c.outLeg() != null && legAt(c.outLeg(), address)))
        .map(RouterCrossing::router)
        .findFirst();
  }

  private static boolean legAt(RouterCrossing.Leg leg, String address) {
    return leg.address().equals(address) || leg.address().startsWith(address + "/");
  }
}
