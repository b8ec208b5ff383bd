package io.shopstack.dns.authoritative.answer;

import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import io.shopstack.dns.authoritative.zone.Lookup;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import io.shopstack.dns.server.UnchangedAnswers;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The zones a reload kept as they were (their files had not changed, so the reloader kept the very
 * same objects), and so the answers that still hold: an answer depends on the zone it came from and
 * on the zones its alias chain passes through ({@link ZoneAnswers}), and on nothing else as long as
 * the zone cuts between the served zones stay where they were (the same origins).
 */
final class KeptZones implements UnchangedAnswers {
  private final ZoneSet after;
  private final Set<AuthoritativeZone> kept;

  private KeptZones(ZoneSet after, Set<AuthoritativeZone> kept) {
    this.after = after;
    this.kept = kept;
  }

  /** The answers of {@code before} that hold in {@code after}, or null when none is known to. */
  static UnchangedAnswers between(Object before, Object after) {
    if (!(before instanceof ZoneSet old) || !(after instanceof ZoneSet now)) {
      return null;
    }
    if (old.size() != now.size()) {
      return null; // a zone came or went: the closest enclosing zone of some names moved
    }
    Set<AuthoritativeZone> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    for (AuthoritativeZone zone : now.all()) {
      AuthoritativeZone was = old.zone(zone.origin());
      if (was == null) {
        return null;
      }
      if (was == zone) {
        kept.add(zone);
      }
    }
    return kept.isEmpty() ? null : new KeptZones(now, kept);
  }

  @Override
  public boolean holds(Name qname, int qtype) {
    // The chain as ZoneAnswers follows it: every zone it reaches must be one that was kept.
    Name current = qname;
    for (int hop = 0; hop <= ZoneAnswers.MAX_CHAIN; hop++) {
      AuthoritativeZone zone = after.closestEnclosing(current);
      if (zone == null) {
        return true; // not ours (REFUSED, or the chain leaves us): the same in both sets
      }
      if (!kept.contains(zone)) {
        return false;
      }
      if (!(zone.lookup(current, qtype) instanceof Lookup.Alias alias)) {
        return true;
      }
      current = alias.target();
    }
    return true;
  }
}
