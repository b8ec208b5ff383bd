package io.shopstack.dns.authoritative.answer;

import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import io.shopstack.dns.authoritative.zone.Delegation;
import io.shopstack.dns.authoritative.zone.Lookup;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import io.shopstack.dns.edns.ClientLocation;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Fills the answer, authority and additional sections for one question from the server's zones (RFC
 * 1034 4.3.2): data with AA, aliases followed through our own zones, referrals with glue,
 * NXDOMAIN/NODATA with the SOA for negative caching (RFC 2308).
 */
final class ZoneAnswers {
  /** Longest CNAME chain we follow before handing the rest to the resolver. */
  static final int MAX_CHAIN = 8;

  private final Supplier<ZoneSet> zoneSet;
  private final DynamicRecords dynamic;

  /**
   * @param zones the zones being served now; read once per query, so a reload in between is never
   *     half-seen
   */
  ZoneAnswers(Supplier<ZoneSet> zones, DynamicRecords dynamic) {
    this.zoneSet = zones;
    this.dynamic = dynamic;
  }

  /** The result beyond the sections: rcode, and the ECS scope when a tailored answer was used. */
  record Outcome(int rcode, int scopePrefix) {}

  /**
   * Answers {@code qname}/{@code qtype} into {@code response}; null means REFUSED (not ours). With
   * {@code zoneNameServers}, a positive answer from a zone's data also carries that zone's NS RRset
   * in the authority section and the addresses we hold for those servers in the additional one.
   */
  Outcome fill(
      Message response, Name qname, int qtype, ClientLocation client, boolean zoneNameServers) {
    ZoneSet zones = zoneSet.get();
    AuthoritativeZone zone = zones.closestEnclosing(qname);
    if (zone == null) {
      return null;
    }
    response.getHeader().setFlag(Flags.AA);
    Name current = qname;
    Set<Name> visited = new HashSet<>();
    for (int hop = 0; hop <= MAX_CHAIN && visited.add(current); hop++) {
      Lookup lookup = zone.lookup(current, qtype);
      if (!(lookup instanceof Lookup.Referral) && dynamic != null && dynamic.owns(current)) {
        TailoredAnswer tailored = dynamic.answer(current, qtype, client);
        if (tailored != null) {
          add(response, tailored.rrset(), Section.ANSWER);
          return new Outcome(Rcode.NOERROR, tailored.scopePrefix());
        }
        if (lookup instanceof Lookup.NxDomain) {
          lookup = new Lookup.NoData();
        }
      }
      if (lookup instanceof Lookup.Answer answer) {
        for (RRset rrset : answer.rrsets()) {
          add(response, rrset, Section.ANSWER);
          addTargetAddresses(response, zone, rrset);
        }
        if (zoneNameServers && qtype != Type.ANY) {
          addNameServers(response, zone);
        }
        return new Outcome(Rcode.NOERROR, 0);
      }
      if (lookup instanceof Lookup.Referral referral) {
        if (hop == 0) {
          refer(response, referral.delegation());
        }
        // An alias into a delegated zone: the CNAME is our answer, the resolver goes on from it.
        return new Outcome(Rcode.NOERROR, 0);
      }
      if (lookup instanceof Lookup.NoData) {
        response.addRecord(zone.negativeSoa(), Section.AUTHORITY);
        return new Outcome(Rcode.NOERROR, 0);
      }
      if (lookup instanceof Lookup.NxDomain) {
        response.addRecord(zone.negativeSoa(), Section.AUTHORITY);
        // RFC 6604 3: after aliases the RCODE describes the last name of the chain.
        return new Outcome(Rcode.NXDOMAIN, 0);
      }
      Lookup.Alias alias = (Lookup.Alias) lookup;
      add(response, alias.cname(), Section.ANSWER);
      current = alias.target();
      zone = zones.closestEnclosing(current);
      if (zone == null) {
        break; // not ours: the resolver continues the chain elsewhere
      }
    }
    return new Outcome(Rcode.NOERROR, 0);
  }

  private static void refer(Message response, Delegation delegation) {
    // A referral is not an authoritative answer: the data belongs to the child zone.
    response.getHeader().unsetFlag(Flags.AA);
    add(response, delegation.nameServers(), Section.AUTHORITY);
    delegation.glue().forEach(glue -> add(response, glue, Section.ADDITIONAL));
  }

  /**
   * The zone's NS RRset and its servers' addresses after a positive answer, as BIND 9.18 adds them
   * to answers to non-recursive queries and NSD to every answer; what the answer section holds
   * already (the NS RRset asked for, a server's own address) is not repeated. ANY stays minimal, as
   * NSD answers it.
   */
  private static void addNameServers(Message response, AuthoritativeZone zone) {
    RRset nameServers = zone.nameServers();
    if (inAnswer(response, nameServers)) {
      return;
    }
    add(response, nameServers, Section.AUTHORITY);
    for (Record r : nameServers.rrs(false)) {
      Name server = ((NSRecord) r).getTarget();
      if (zone.isAuthoritativeFor(server)) {
        for (RRset addresses : zone.addresses(server)) {
          if (!inAnswer(response, addresses)) {
            add(response, addresses, Section.ADDITIONAL);
          }
        }
      }
    }
  }

  private static boolean inAnswer(Message response, RRset rrset) {
    return response.findRRset(rrset.getName(), rrset.getType(), Section.ANSWER);
  }

  /** Saves the resolver a round trip: addresses of NS, MX and SRV targets we hold ourselves. */
  private static void addTargetAddresses(Message response, AuthoritativeZone zone, RRset rrset) {
    for (Record r : rrset.rrs()) {
      Name target =
          switch (r.getType()) {
            case Type.NS -> ((NSRecord) r).getTarget();
            case Type.MX -> ((MXRecord) r).getTarget();
            case Type.SRV -> ((SRVRecord) r).getTarget();
            default -> null;
          };
      if (target != null && zone.isAuthoritativeFor(target)) {
        zone.addresses(target).forEach(set -> add(response, set, Section.ADDITIONAL));
      }
    }
  }

  private static void add(Message response, RRset rrset, int section) {
    // File order, not dnsjava's rotation: an answer is then the same for every asker and can be
    // prepared once (NSD does the same; resolvers shuffle or rotate for their clients).
    for (Record r : rrset.rrs(false)) {
      if (!response.findRecord(r, section)) {
        response.addRecord(r, section);
      }
    }
  }
}
