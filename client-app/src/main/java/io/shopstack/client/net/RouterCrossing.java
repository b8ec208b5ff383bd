package io.shopstack.client.net;

/**
 * One connection's SYN as a router forwarded it: captured on the leg it arrived on and on the leg
 * it left by. Forwarding rewrites the link layer (new source and destination MAC) and decrements
 * the TTL; the IP addresses stay (no NAT).
 *
 * @param router the router's instance name
 * @param arrived the SYN on the leg it came in on
 * @param left the SYN on the leg it went out on, or null when that leg did not capture it
 */
public record RouterCrossing(
    String router, Leg inLeg, CapturedSyn arrived, Leg outLeg, CapturedSyn left) {

  /** One interface of the router: its name, its address with prefix, its MAC. */
  public record Leg(String device, String address, String mac) {}

  /** Both legs captured the SYN. */
  public boolean complete() {
    return left != null;
  }

  /** What forwarding did, from the two captures: empty unless both legs have the SYN. */
  public String verdict() {
    if (!complete()) {
      return "seen on " + inLeg.device() + " only";
    }
    boolean sameIps =
        arrived.source().equals(left.source()) && arrived.destination().equals(left.destination());
    boolean newMacs =
        !arrived.sourceMac().equals(left.sourceMac())
            && !arrived.destinationMac().equals(left.destinationMac());
    return (newMacs ? "MACs rewritten" : "MACs NOT rewritten")
        + ", TTL %d -> %d".formatted(arrived.ttl(), left.ttl())
        + (sameIps ? ", IP addresses unchanged" : ", IP addresses CHANGED (NAT)");
  }
}
