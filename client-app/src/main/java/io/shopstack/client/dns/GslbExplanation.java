package io.shopstack.client.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CDN's GSLB explaining its choice for this client, read from the TXT record it serves at the
 * service name (dns-cdn's README, "Explaining a decision"): how it saw the client, which edges it
 * considered, and what it chose. The text is kept whole for printing; region and edge are taken out
 * so the journey can compare them with the A record it got.
 *
 * @param strings the TXT's character-strings, as the GSLB sent them
 * @param clientRegion the region the GSLB placed the client in ({@code none} if no region holds it)
 * @param reason {@code home}, {@code failover}, {@code no-region} or {@code fail-open}
 * @param region the region whose edges were answered
 * @param chosen the edges answered, as {@code name(address)}
 */
public record GslbExplanation(
    List<String> strings, String clientRegion, String reason, String region, List<String> chosen) {
  private static final Pattern WHO = Pattern.compile("^client \\S+ \\(.+\\) region (\\S+) .*");
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern CHOICE = Pattern.compile("^([a-z-]+) -> (\\S+) ?(.*)$");

  public GslbExplanation {
    strings = List.copyOf(strings);
    chosen = List.copyOf(chosen);
  }

  /**
   * Reads the TXT answer of a service name; empty when the answer holds no GSLB explanation (the
   * name is not served by our GSLB, or the server is another product).
   */
  public static Optional<GslbExplanation> from(DnsLookup txt) {
    List<String> strings =
        txt.answers().stream()
            .filter(r -> r.type().equals("TXT"))
            .flatMap(r -> characterStrings(r.data()).stream())
            .toList();
    String clientRegion = null;
    String reason = null;
    String region = null;
    List<String> chosen = List.of();
    for (String s : strings) {
      Matcher who = WHO.matcher(s);
      Matcher choice = CHOICE.matcher(s);
      if (who.matches()) {
        clientRegion = who.group(1);
      } else if (choice.matches()) {
        reason = choice.group(1);
        region = choice.group(2);
        chosen = choice.group(3).isBlank() ? List.of() : List.of(choice.group(3).split(" "));
      }
    }
    if (clientRegion == null || reason == null) {
      return Optional.empty();
    }
    return Optional.of(new GslbExplanation(strings, clientRegion, reason, region, chosen));
  }

  /** The character-strings of TXT rdata in presentation form ({@code "a b" "c"}), unescaped. */
  static List<String> characterStrings(String rdata) {
    List<String> strings = new ArrayList<>();
    Matcher m = QUOTED.matcher(rdata);
    while (m.find()) {
      strings.add(m.group(1).replaceAll("\\\\(.)", "$1"));
    }
    return strings;
  }

  /** Whether the GSLB names {@code address} among the edges it chose. */
  public boolean chose(String address) {
    return chosen.stream().anyMatch(edge -> edge.endsWith("(" + address + ")"));
  }
}
