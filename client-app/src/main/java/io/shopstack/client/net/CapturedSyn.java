package io.shopstack.client.net;

/**
 * A TCP SYN as one leg of a router saw it on the wire: the Ethernet addresses of that link and the
 * IP header's TTL and addresses. The same SYN on two legs shows what forwarding does to a packet.
 */
public record CapturedSyn(
    String sourceMac,
    String destinationMac,
    int ttl,
    String source,
    int sourcePort,
    String destination,
    int destinationPort) {

  /** True when this is the SYN of the connection from {@code source}:{@code sourcePort}. */
  boolean opens(String source, int sourcePort, String destination, int destinationPort) {
    return this.source.equals(source)
        && this.sourcePort == sourcePort
        && this.destination.equals(destination)
        && this.destinationPort == destinationPort;
  }
}
