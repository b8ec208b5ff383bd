package io.shopstack.dns.authoritative.zone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * One zone, indexed once at load and read-only afterwards, so lookups need no locks: the nodes by
 * name, every name that exists (including empty non-terminals, which answer NODATA rather than
 * NXDOMAIN), the zone cuts with their glue, and the SOA to put in negative answers.
 */
public final class AuthoritativeZone {
  private static final Logger log = LoggerFactory.getLogger(AuthoritativeZone.class);
  private static final Name WILDCARD = Name.fromConstantString("*");

  private final Name origin;
  private final SOARecord soa;
  private final SOARecord negativeSoa;
  private final ZoneNodes nodes;

  /** Names that own no records but have descendants that do (RFC 4592 2.2.2). */
  private final Set<Name> emptyNonTerminals;

  private final Map<Name, Delegation> cuts;

  private AuthoritativeZone(
      Name origin,
      SOARecord soa,
      SOARecord negativeSoa,
      ZoneNodes nodes,
      Set<Name> emptyNonTerminals,
      Map<Name, Delegation> cuts) {
    this.origin = origin;
    this.soa = soa;
    this.negativeSoa = negativeSoa;
    this.nodes = nodes;
    this.emptyNonTerminals = emptyNonTerminals;
    this.cuts = cuts;
  }

  /** Checks and indexes parsed records; {@code file} only names the source in errors. */
  public static AuthoritativeZone index(Name origin, Collection<Record> records, String file) {
    ZoneNodes.Builder builder = new ZoneNodes.Builder(records.size());
    // The checks after the index look only at the names that need them, not at every node: in a
    // big flat zone (a million names one label below the apex, no alias, no delegation) there are
    // none, and a walk over a million-entry table was a third of the indexing time.
    int originLabels = origin.labels();
    List<Name> deepNames = new ArrayList<>(); // two or more labels below the apex
    List<Name> aliases = new ArrayList<>();
    List<Name> delegations = new ArrayList<>();
    for (Record r : records) {
      Name name = r.getName();
      if (!name.subdomain(origin)) {
        throw new ZoneFileException(file + ": " + name + " is outside zone " + origin);
      }
      if (r.getDClass() != DClass.IN) {
        throw new ZoneFileException(file + ": " + name + " is not class IN");
      }
      builder.add(r);
      if (name.labels() - originLabels > 1) {
        deepNames.add(name);
      }
      if (r.getType() == Type.CNAME) {
        aliases.add(name);
      } else if (r.getType() == Type.NS && !name.equals(origin)) {
        delegations.add(name);
      }
    }
    ZoneNodes nodes = builder.build();
    Map<Integer, RRset> apex = nodes.types(origin);
    if (apex == null || apex.get(Type.SOA) == null || apex.get(Type.NS) == null) {
      throw new ZoneFileException(file + ": zone " + origin + " needs an SOA and NS at its apex");
    }
    if (apex.get(Type.SOA).size() != 1) {
      throw new ZoneFileException(file + ": zone " + origin + " has more than one SOA");
    }
    for (Name name : aliases) {
      Map<Integer, RRset> types = nodes.types(name);
      if (types.size() > 1 || types.get(Type.CNAME).size() > 1) {
        // RFC 1034 3.6.2: an alias has no other data, and only one target.
        throw new ZoneFileException(
            file + ": " + name + " has a CNAME and other data (RFC 1034 3.6.2)");
      }
    }
    // Names between a name and the apex that own nothing still exist (RFC 4592 2.2.2); a walk
    // stops at the first ancestor already known, so each is visited about once.
    Set<Name> emptyNonTerminals = new HashSet<>();
    for (Name name : deepNames) {
      for (int drop = 1; name.labels() - drop > originLabels; drop++) {
        Name ancestor = new Name(name, drop);
        if (nodes.contains(ancestor) || !emptyNonTerminals.add(ancestor)) {
          break;
        }
      }
    }
    Map<Name, Delegation> cuts = new HashMap<>();
    for (Name name : delegations) {
      if (!cuts.containsKey(name)) {
        RRset ns = nodes.types(name).get(Type.NS);
        cuts.put(name, new Delegation(ns, glueFor(ns, origin, nodes, file)));
      }
    }
    SOARecord soa = (SOARecord) apex.get(Type.SOA).first();
    // RFC 2308 3: the negative-caching TTL is the smaller of the SOA's TTL and its MINIMUM.
    SOARecord negativeSoa =
        new SOARecord(
            soa.getName(),
            DClass.IN,
            Math.min(soa.getTTL(), soa.getMinimum()),
            soa.getHost(),
            soa.getAdmin(),
            soa.getSerial(),
            soa.getRefresh(),
            soa.getRetry(),
            soa.getExpire(),
            soa.getMinimum());
    log.info("zone {} from {}: {} names, {} delegations", origin, file, nodes.size(), cuts.size());
    return new AuthoritativeZone(
        origin,
        soa,
        negativeSoa,
        nodes,
        Collections.unmodifiableSet(emptyNonTerminals),
        Collections.unmodifiableMap(cuts));
  }

  private static List<RRset> glueFor(RRset ns, Name origin, ZoneNodes nodes, String file) {
    List<RRset> glue = new ArrayList<>();
    for (Record r : ns.rrs()) {
      Name target = ((NSRecord) r).getTarget();
      if (!target.subdomain(origin)) {
        continue; // out of zone: the resolver looks it up itself
      }
      Map<Integer, RRset> node = nodes.types(target);
      node = node == null ? Map.of() : node;
      boolean found = false;
      for (int type : new int[] {Type.A, Type.AAAA}) {
        if (node.get(type) != null) {
          glue.add(node.get(type));
          found = true;
        }
      }
      if (!found) {
        log.warn("{}: delegation {} names {} but the zone has no glue for it", file, ns, target);
      }
    }
    return glue;
  }

  public Name origin() {
    return origin;
  }

  /** The apex SOA as the file has it; its serial tells secondaries whether the zone changed. */
  public SOARecord soa() {
    return soa;
  }

  /**
   * The records of a zone transfer one by one, read from the zone as they are asked for: the SOA,
   * every other record (apex first, delegations and glue included), the SOA again (RFC 5936 2.2).
   * Nothing is copied, so a transfer of a million records costs no memory of its own.
   */
  public Iterator<Record> transferRecords() {
    // Iterated, never collected: a stream's iterator buffers only what one element flat-maps to
    // (one node, one RRset), so the zone is walked in step with the transfer.
    Iterator<Record> body =
        Stream.concat(
                nodes.types(origin).values().stream()
                    .filter(set -> set.getType() != Type.SOA)
                    .flatMap(set -> set.rrs(false).stream()),
                nodes.recordsExcept(origin))
            .iterator();
    return new Iterator<>() {
      private boolean started;
      private boolean ended;

      @Override
      public boolean hasNext() {
        return !ended;
      }

      @Override
      public Record next() {
        if (!started) {
          started = true;
          return soa;
        }
        if (body.hasNext()) {
          return body.next();
        }
        if (ended) {
          throw new java.util.NoSuchElementException();
        }
        ended = true;
        return soa;
      }
    };
  }

  /** The apex NS RRset (every zone has one: {@link #index} checks). */
  public RRset nameServers() {
    return nodes.types(origin).get(Type.NS);
  }

  /** The SOA for authority sections of NXDOMAIN/NODATA, its TTL already the negative TTL. */
  public SOARecord negativeSoa() {
    return negativeSoa;
  }

  /** Address records this zone holds for {@code name} (for additional-section processing). */
  public List<RRset> addresses(Name name) {
    Map<Integer, RRset> node = nodes.types(name);
    if (node == null) {
      return List.of();
    }
    List<RRset> out = new ArrayList<>(2);
    for (int type : new int[] {Type.A, Type.AAAA}) {
      if (node.get(type) != null) {
        out.add(node.get(type));
      }
    }
    return out;
  }

  /** True when {@code name} is in this zone's authoritative data (not at or below a cut). */
  public boolean isAuthoritativeFor(Name name) {
    return name.subdomain(origin) && cutAbove(name, -1) == null;
  }

  /** Looks {@code qname} up; the caller has checked that it is at or below the origin. */
  public Lookup lookup(Name qname, int qtype) {
    Delegation cut = cutAbove(qname, qtype);
    if (cut != null) {
      return new Lookup.Referral(cut);
    }
    Map<Integer, RRset> node = nodes.types(qname);
    if (node != null) {
      return fromNode(qname, node, qtype, false);
    }
    if (emptyNonTerminals.contains(qname)) {
      // An empty non-terminal (RFC 4592 2.2.2) has no RRset to offer an ANY query.
      return qtype == Type.ANY ? refusedAny(qname) : new Lookup.NoData();
    }
    // RFC 4592 3.3.1: only the closest encloser's wildcard may synthesize an answer.
    Name closestEncloser = parent(qname);
    while (!exists(closestEncloser)) {
      closestEncloser = parent(closestEncloser);
    }
    Map<Integer, RRset> wildcard = nodes.types(concatenate(WILDCARD, closestEncloser));
    if (wildcard != null) {
      return fromNode(qname, wildcard, qtype, true);
    }
    return new Lookup.NxDomain();
  }

  /** The delegation at or above {@code name}, below the apex; DS lives on the parent side. */
  private Delegation cutAbove(Name name, int qtype) {
    if (cuts.isEmpty()) {
      return null;
    }
    int labels = name.labels();
    for (int l = origin.labels() + 1; l <= labels; l++) {
      Name candidate = l == labels ? name : new Name(name, labels - l);
      Delegation cut = cuts.get(candidate);
      if (cut != null && !(l == labels && qtype == Type.DS)) {
        return cut;
      }
    }
    return null;
  }

  private static Lookup fromNode(Name qname, Map<Integer, RRset> node, int qtype, boolean wild) {
    if (qtype == Type.ANY) {
      // RFC 8482 4.1: one RRset (the first in file order) rather than all of them, so ANY is no
      // longer an amplification tool. Resolvers ask for the types they actually need.
      RRset first = node.values().iterator().next();
      return new Lookup.Answer(List.of(wild ? synthesize(first, qname) : first));
    }
    RRset exact = node.get(qtype);
    if (exact != null) {
      return new Lookup.Answer(List.of(wild ? synthesize(exact, qname) : exact));
    }
    RRset cname = node.get(Type.CNAME);
    if (cname != null) {
      RRset alias = wild ? synthesize(cname, qname) : cname;
      return new Lookup.Alias(alias, ((CNAMERecord) cname.first()).getTarget());
    }
    return new Lookup.NoData();
  }

  /** RFC 8482 4.2: the synthesized HINFO that says "ANY is not answered in full here". */
  private Lookup refusedAny(Name qname) {
    RRset hinfo = new RRset();
    hinfo.addRR(new HINFORecord(qname, DClass.IN, negativeSoa.getTTL(), "RFC8482", ""));
    return new Lookup.Answer(List.of(hinfo));
  }

  /** RFC 4592 3.4.1: records from a wildcard carry the query's name as owner. */
  private static RRset synthesize(RRset wildcard, Name owner) {
    RRset out = new RRset();
    wildcard.rrs(false).forEach(r -> out.addRR(r.withName(owner)));
    return out;
  }

  private boolean exists(Name name) {
    return nodes.contains(name) || emptyNonTerminals.contains(name);
  }

  private static Name parent(Name name) {
    return new Name(name, 1);
  }

  private static Name concatenate(Name prefix, Name suffix) {
    try {
      return Name.concatenate(prefix, suffix);
    } catch (org.xbill.DNS.NameTooLongException e) {
      throw new IllegalStateException(e);
    }
  }
}
