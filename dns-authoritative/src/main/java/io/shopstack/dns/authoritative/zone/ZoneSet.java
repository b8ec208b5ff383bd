package io.shopstack.dns.authoritative.zone;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * The zones one server holds. A query belongs to the zone whose origin is its closest enclosing
 * one, so a server holding both {@code example.} and {@code shop.example.} answers for {@code
 * www.shop.example.} from the child with authority, not with a referral to itself.
 */
public final class ZoneSet {
  private final Map<Name, AuthoritativeZone> byOrigin;

  public ZoneSet(List<AuthoritativeZone> zones) {
    Map<Name, AuthoritativeZone> map = new HashMap<>();
    for (AuthoritativeZone zone : zones) {
      if (map.put(zone.origin(), zone) != null) {
        throw new ZoneFileException("zone " + zone.origin() + " is configured twice");
      }
    }
    this.byOrigin = Map.copyOf(map);
  }

  /** The zone closest-enclosing {@code name}, or null when we are not authoritative for it. */
  public AuthoritativeZone closestEnclosing(Name name) {
    for (int drop = 0; drop < name.labels(); drop++) {
      AuthoritativeZone zone = byOrigin.get(drop == 0 ? name : new Name(name, drop));
      if (zone != null) {
        return zone;
      }
    }
    return null;
  }

  /** The zone whose apex is exactly {@code origin}, or null (zone transfers ask for apexes). */
  public AuthoritativeZone zone(Name origin) {
    return byOrigin.get(origin);
  }

  public Collection<AuthoritativeZone> all() {
    return byOrigin.values();
  }

  public int size() {
    return byOrigin.size();
  }
}
