package io.shopstack.client.net;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hops between this phone and an address, as traceroute finds them: datagrams sent with TTL 1,
 * 2, ..., each router on the way answering the one that died there with an ICMP time exceeded, the
 * destination with a port unreachable. It runs iputils' {@code tracepath}, which needs no privilege
 * (plain UDP, the ICMP errors read with IP_RECVERR): Java cannot set a unicast TTL or read those
 * errors itself.
 */
public final class TtlProbe {
  /** Two routers and the VIP need three; eight is room for a longer path, not a scan. */
  static final int MAX_HOPS = 8;

  // A guard against a hang: each unanswered TTL costs tracepath about a second.
  private static final Duration BOUND = Duration.ofSeconds(15);

  // " 1:  172.28.1.254   0.097ms" or " 2:  172.28.0.80   0.088ms reached"; "[LOCALHOST]" and
  // "no reply" lines name no hop.
  private static final Pattern HOP =
      Pattern.compile("^\\s*(\\d+)\\??:\\s+(\\d{1,3}(?:\\.\\d{1,3}){3})\\b(.*)$");

  /** One hop: the TTL a probe needed to reach it, its address, and whether it was the target. */
  public record Hop(int ttl, String address, boolean reached) {}

  private TtlProbe() {}

  /** The hops to {@code destination}; empty when tracepath is missing, failed or hung. */
  public static Optional<List<Hop>> to(InetAddress destination) {
    return SystemCommand.output(
            BOUND,
            "tracepath",
            "-n",
            "-m",
            Integer.toString(MAX_HOPS),
            destination.getHostAddress())
        .map(TtlProbe::parse);
  }

  /** Reads tracepath's lines: the first answer per TTL, in TTL order. */
  static List<Hop> parse(String output) {
    Map<Integer, Hop> byTtl = new LinkedHashMap<>();
    for (String line : output.lines().toList()) {
      Matcher m = HOP.matcher(line);
      if (m.matches()) {
        int ttl = Integer.parseInt(m.group(1));
        byTtl.putIfAbsent(ttl, new Hop(ttl, m.group(2), m.group(3).contains("reached")));
      }
    }
    return List.copyOf(byTtl.values());
  }
}
