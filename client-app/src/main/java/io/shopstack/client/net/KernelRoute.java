package io.shopstack.client.net;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's own answer to "how does a packet to this address leave this phone": the route it
 * chose, the gateway, the interface and the source address ({@code ip route get}), and for a
 * gateway its MAC from the neighbour table ({@code ip neigh}), the address the request's frames
 * were sent to. In Docker the phone's packets to the VIP go to its region's router; in the local
 * topology every address is on loopback and there is no gateway.
 *
 * @param gateway the next hop, or null when the destination is reached directly
 * @param device the outgoing interface
 * @param source the source address the kernel picks
 * @param line the kernel's answer as {@code ip} printed it
 */
public record KernelRoute(String gateway, String device, String source, String line) {
  private static final Duration COMMAND = Duration.ofSeconds(2);

  /** A gateway's entry in the neighbour table: its MAC and how sure the kernel is of it. */
  public record Neighbour(String mac, String state) {}

  /** The kernel's route to {@code destination}; empty where {@code ip} is missing or fails. */
  public static Optional<KernelRoute> to(InetAddress destination) {
    return run("ip", "route", "get", destination.getHostAddress()).map(KernelRoute::parse);
  }

  /** This route's gateway in the neighbour table; empty without a gateway or an entry. */
  public Optional<Neighbour> gatewayNeighbour() {
    if (gateway == null) {
      return Optional.empty();
    }
    return run("ip", "neigh", "show", gateway).flatMap(KernelRoute::neighbour);
  }

  /** Reads {@code ip route get}'s first line: {@code DST [via GW] dev DEV [...] src SRC ...}. */
  static KernelRoute parse(String output) {
    String line = output.lines().findFirst().orElse("").strip();
    List<String> words = List.of(line.split("\\s+"));
    return new KernelRoute(after(words, "via"), after(words, "dev"), after(words, "src"), line);
  }

  /** Reads {@code ip neigh show ADDR}: {@code ADDR dev DEV lladdr MAC STATE}. */
  static Optional<Neighbour> neighbour(String output) {
    List<String> words = List.of(output.strip().split("\\s+"));
    String mac = after(words, "lladdr");
    return mac == null
        ? Optional.empty()
        : Optional.of(new Neighbour(mac, words.get(words.size() - 1)));
  }

  private static String after(List<String> words, String key) {
    int i = words.indexOf(key);
    return i >= 0 && i + 1 < words.size() ? words.get(i + 1) : null;
  }

  private static Optional<String> run(String... command) {
    // Bounded: the kernel answers at once; a hung command must not hang the journey.
    return SystemCommand.output(COMMAND, command);
  }
}
