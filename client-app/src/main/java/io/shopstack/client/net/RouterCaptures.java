package io.shopstack.client.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The regions' routers' own captures, as the phone finds them on the volume they share with it
 * (read-only): per router a folder named after it, holding {@code legs} (one line per interface:
 * name, address/prefix, MAC) and per interface the SYNs tcpdump captured there ({@code
 * <interface>.pcap0}, {@code .pcap1}: two small files it rotates, so the capture stays bounded).
 * docker/router/shop-router writes them; the Docker stack mounts them at {@link #MOUNT}.
 */
public final class RouterCaptures {
  /** Where the routers' captures are mounted in the phone's container. */
  public static final Path MOUNT = Path.of("/captures");

  private static final Duration POLL = Duration.ofMillis(100);

  private RouterCaptures() {}

  /**
   * Every router's capture of the connection {@code local} -> {@code remote}, in the order it
   * crossed them (highest TTL first). tcpdump writes each packet as it sees it, but the phone may
   * look first: it reads again until every router has the SYN on both legs, for at most {@code
   * bound}.
   */
  public static List<RouterCrossing> of(
      Path captures, InetSocketAddress local, InetSocketAddress remote, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    List<RouterCrossing> crossings = read(captures, local, remote);
    while ((crossings.isEmpty() || !crossings.stream().allMatch(RouterCrossing::complete))
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      crossings = read(captures, local, remote);
    }
    return crossings;
  }

  /** What the captures hold right now. */
  static List<RouterCrossing> read(
      Path captures, InetSocketAddress local, InetSocketAddress remote) {
    List<RouterCrossing> crossings = new ArrayList<>();
    for (Path router : folders(captures)) {
      crossing(router, local, remote).ifPresent(crossings::add);
    }
    crossings.sort(Comparator.comparingInt((RouterCrossing c) -> c.arrived().ttl()).reversed());
    return crossings;
  }

  private static Optional<RouterCrossing> crossing(
      Path router, InetSocketAddress local, InetSocketAddress remote) {
    Map<String, RouterCrossing.Leg> legs = legs(router.resolve("legs"));
    List<Seen> seen = new ArrayList<>();
    for (RouterCrossing.Leg leg : legs.values()) {
      syns(router, leg.device()).stream()
          .filter(
              s ->
                  s.opens(
                      local.getAddress().getHostAddress(),
                      local.getPort(),
                      remote.getAddress().getHostAddress(),
                      remote.getPort()))
          .findFirst()
          .ifPresent(s -> seen.add(new Seen(leg, s)));
    }
    if (seen.isEmpty()) {
      return Optional.empty();
    }
    // The leg it arrived on saw it one hop younger: the router decrements the TTL as it forwards.
    seen.sort(Comparator.comparingInt((Seen s) -> s.syn().ttl()).reversed());
    Seen in = seen.get(0);
    Seen out = seen.size() > 1 ? seen.get(1) : null;
    return Optional.of(
        new RouterCrossing(
            router.getFileName().toString(),
            in.leg(),
            in.syn(),
            out == null ? null : out.leg(),
            out == null ? null : out.syn()));
  }

  private record Seen(RouterCrossing.Leg leg, CapturedSyn syn) {}

  private static List<Path> folders(Path captures) {
    if (!Files.isDirectory(captures)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(captures)) {
      return entries.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The {@code legs} file: {@code eth0 172.28.0.254/24 02:42:ac:1c:00:fe} per line. */
  static Map<String, RouterCrossing.Leg> legs(Path file) {
    Map<String, RouterCrossing.Leg> legs = new TreeMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] words = line.strip().split("\\s+");
        if (words.length == 3) {
          legs.put(words[0], new RouterCrossing.Leg(words[0], words[1], words[2]));
        }
      }
    } catch (IOException e) {
      // no legs file: the router has not started capturing
    }
    return legs;
  }

  private static List<CapturedSyn> syns(Path router, String device) {
    List<CapturedSyn> syns = new ArrayList<>();
    try (Stream<Path> files = Files.list(router)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith(device + ".pcap")).toList()) {
        syns.addAll(PcapSyns.read(Files.readAllBytes(file)));
      }
    } catch (IOException e) {
      // rotated away while being read: the next read finds the new file
    }
    return syns;
  }

  /** The router one of whose legs has {@code address}, by its folder's {@code legs} file. */
  public static Optional<String> routerAt(Path captures, String address) {
    for (Path router : folders(captures)) {
      for (RouterCrossing.Leg leg : legs(router.resolve("legs")).values()) {
        if (leg.address().equals(address) || leg.address().startsWith(address + "/")) {
          return Optional.of(router.getFileName().toString());
        }
      }
    }
    return Optional.empty();
  }

  /** True when {@code captures} holds no router's folder (not in the Docker stack). */
  public static boolean absent(Path captures) {
    return folders(captures).isEmpty();
  }
}
