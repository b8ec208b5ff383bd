package io.shopstack.client.net;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Why an address behind a gateway may not answer, in the network's own terms: the kernel's route to
 * it goes via a gateway (by its name, from the routers' captures folders), and the neighbour table
 * says whether that gateway still answers ARP. With its region's router stopped, a phone's
 * questions to the resolver on the backbone leave towards a gateway that no longer exists.
 */
public final class GatewayHint {
  private static final Duration COMMAND = Duration.ofSeconds(2);

  private GatewayHint() {}

  /** The hint for {@code destination}; empty when it is reached without a gateway. */
  public static Optional<String> toward(InetAddress destination) {
    return toward(destination, RouterCaptures.MOUNT);
  }

  static Optional<String> toward(InetAddress destination, Path captures) {
    Optional<KernelRoute> route = KernelRoute.to(destination);
    if (route.isEmpty() || route.get().gateway() == null) {
      return Optional.empty();
    }
    KernelRoute r = route.get();
    String router =
        RouterCaptures.routerAt(captures, r.gateway()).map(name -> " (" + name + ")").orElse("");
    String state =
        SystemCommand.output(COMMAND, "ip", "neigh", "show", r.gateway())
            .map(GatewayHint::state)
            .orElse("");
    return Optional.of(
        "%s is reached via gateway %s%s on %s (kernel route), %s"
            .formatted(
                destination.getHostAddress(), r.gateway(), router, r.device(), verdict(state)));
  }

  /** The neighbour entry's state, its last word ({@code ... lladdr MAC REACHABLE}), or "". */
  static String state(String neighOutput) {
    List<String> words = List.of(neighOutput.strip().split("\\s+"));
    return words.size() < 2 ? "" : words.get(words.size() - 1);
  }

  private static String verdict(String state) {
    return switch (state) {
      case "FAILED", "INCOMPLETE" ->
          "and the gateway does not answer ARP (neighbour table: "
              + state
              + "): the router is down or gone";
      case "" -> "not in the neighbour table";
      default -> "which answers ARP (neighbour table: " + state + ")";
    };
  }
}
