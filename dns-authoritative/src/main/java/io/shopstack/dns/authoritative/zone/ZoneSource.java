package io.shopstack.dns.authoritative.zone;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Which zone to load from where: {@code origin=location}, the location being {@code
 * classpath:zones/x.zone} or a file path. A server's zones are one comma-separated list of these,
 * so a single variable ({@code SHOP_ZONES}) turns the same program into the root, TLD or shop
 * server.
 */
public record ZoneSource(Name origin, String location) {

  /** Parses {@code ".=classpath:zones/root.zone, example.=/etc/zones/example.zone"}. */
  public static List<ZoneSource> parseList(String list) {
    List<ZoneSource> sources = new ArrayList<>();
    for (String entry : list.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq <= 0 || eq == trimmed.length() - 1) {
        throw new IllegalArgumentException(
            "zone entry '"
                + trimmed
                + "' is not origin=location (e.g. .=classpath:zones/root.zone)");
      }
      String origin = trimmed.substring(0, eq).trim();
      try {
        sources.add(
            new ZoneSource(
                Name.fromString(origin.endsWith(".") ? origin : origin + ".", Name.root),
                trimmed.substring(eq + 1).trim()));
      } catch (TextParseException e) {
        throw new IllegalArgumentException("zone origin '" + origin + "': " + e.getMessage(), e);
      }
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no zones configured: the zone list is empty");
    }
    return List.copyOf(sources);
  }
}
