package io.shopstack.dns.resolver.iteration;

import io.shopstack.dns.resolver.cache.Ttls;
import io.shopstack.dns.resolver.delegation.Delegation;
import io.shopstack.dns.resolver.ecs.ClientSubnet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Reads an authoritative server's response into a {@link Step}. Only records inside the zone the
 * server was asked as (its bailiwick) are believed: a shop.example server cannot tell us where
 * cdn.example or the root lives, which is the classic defence against cache poisoning.
 */
final class ResponseReader {
  private ResponseReader() {}

  /**
   * @param ecsSent whether our query carried the client's subnet; if not, an ECS option in the
   *     response is ignored (RFC 7871 7.3: a scope we did not ask about means nothing), so a server
   *     cannot split our cache by inventing scopes
   */
  static Step read(Message response, Name zone, Name qname, int qtype, boolean ecsSent) {
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN && rcode != Rcode.YXDOMAIN) {
      return new Step.Failure("rcode " + Rcode.string(rcode));
    }
    boolean authoritative = response.getHeader().getFlag(Flags.AA);
    int scope = ecsSent ? ecsScope(response) : 0;
    List<RRset> answer = inBailiwick(response.getSectionRRsets(Section.ANSWER), zone);

    List<RRset> chain = new ArrayList<>();
    Name current = qname;
    for (int hops = 0; authoritative && hops <= answer.size(); hops++) {
      // A DNAME above the name rewrites it, whatever CNAME the server made of it (RFC 6672 3.4).
      RRset dname = DnameSubstitution.above(answer, current);
      if (dname != null) {
        RRset synthesized = DnameSubstitution.synthesize(dname, current);
        if (synthesized == null) {
          // The rewritten name would not fit in 255 octets: YXDOMAIN, with the DNAME (RFC 6672
          // 2.2).
          chain.add(dname);
          return new Step.Negative(
              chain, current, Rcode.YXDOMAIN, soa(response, zone), List.of(), scope);
        }
        chain.add(dname);
        chain.add(synthesized);
        if (qtype == Type.CNAME) {
          return new Step.Answer(chain, scope);
        }
        current = ((CNAMERecord) synthesized.first()).getTarget();
        continue;
      }
      if (qtype == Type.ANY) {
        // Whatever the server holds at the name answers ANY (often one RRset, RFC 8482), as unbound
        // passes it on; each RRset is cached under its own type.
        List<RRset> all = findAll(answer, current);
        if (!all.isEmpty()) {
          chain.addAll(all);
          return new Step.Answer(chain, scope);
        }
        break;
      }
      RRset wanted = find(answer, current, qtype);
      if (wanted != null) {
        chain.add(wanted);
        return new Step.Answer(chain, scope, wildcardProof(response, zone, wanted));
      }
      RRset alias = qtype == Type.CNAME ? null : find(answer, current, Type.CNAME);
      if (alias == null) {
        break;
      }
      chain.add(alias);
      current = ((CNAMERecord) alias.first()).getTarget();
    }

    if (rcode == Rcode.YXDOMAIN) {
      // Only a DNAME substitution that overflows gives YXDOMAIN to a query; we found none.
      return new Step.Failure("rcode YXDOMAIN without a DNAME that explains it");
    }
    SOARecord soa = soa(response, zone);
    if (authoritative && rcode == Rcode.NXDOMAIN) {
      return new Step.Negative(
          chain, current, Rcode.NXDOMAIN, soa, proof(response, zone, soa), scope);
    }
    if (!chain.isEmpty()) {
      return new Step.Alias(chain, current, scope);
    }
    Delegation referral = referral(response, zone, qname);
    if (referral != null) {
      return referral.addresses().isEmpty() && referral.serversWithoutGlue().isEmpty()
          ? new Step.Failure("referral to " + referral.zone() + " without usable servers")
          : new Step.Referral(referral);
    }
    if (authoritative) {
      return new Step.Negative(
          chain, current, Rcode.NOERROR, soa, proof(response, zone, soa), scope);
    }
    return new Step.Failure("lame: neither authoritative nor a referral below " + zone);
  }

  /**
   * The ECS scope the server claimed; a response without ECS fits every client (RFC 7871 7.3.1).
   */
  private static int ecsScope(Message response) {
    ClientSubnetOption option = ClientSubnet.optionIn(response);
    return option == null ? 0 : option.getScopePrefixLength();
  }

  private static List<RRset> inBailiwick(List<RRset> rrsets, Name zone) {
    List<RRset> kept = new ArrayList<>();
    for (RRset rrset : rrsets) {
      if (rrset.getName().subdomain(zone)) {
        kept.add(rrset);
      }
    }
    return kept;
  }

  private static RRset find(List<RRset> rrsets, Name name, int type) {
    for (RRset rrset : rrsets) {
      if (rrset.getName().equals(name) && rrset.getType() == type) {
        return rrset;
      }
    }
    return null;
  }

  /**
   * RFC 4035 3.1.3.3: an answer synthesized from a wildcard (its RRSIG covers fewer labels than its
   * owner has) comes with the NSEC/NSEC3 proving that no closer name exists; a validating client
   * needs it, so it is kept with the answer. Empty for any other answer.
   */
  private static List<RRset> wildcardProof(Message response, Name zone, RRset answer) {
    boolean expanded = false;
    for (RRSIGRecord sig : answer.sigs()) {
      expanded |= sig.getLabels() < answer.getName().labels() - 1;
    }
    if (!expanded) {
      return List.of();
    }
    List<RRset> proof = new ArrayList<>();
    for (RRset rrset : response.getSectionRRsets(Section.AUTHORITY)) {
      if ((rrset.getType() == Type.NSEC || rrset.getType() == Type.NSEC3)
          && rrset.getName().subdomain(zone)) {
        proof.add(rrset);
      }
    }
    return proof;
  }

  private static List<RRset> findAll(List<RRset> rrsets, Name name) {
    List<RRset> found = new ArrayList<>();
    for (RRset rrset : rrsets) {
      if (rrset.getName().equals(name)) {
        found.add(rrset);
      }
    }
    return found;
  }

  /**
   * A signed negative answer's proof, in bailiwick: the SOA RRset with its RRSIGs and the NSEC or
   * NSEC3 RRsets with theirs. Empty when the zone is unsigned (no RRSIG came), so unsigned answers
   * cost nothing more.
   */
  private static List<RRset> proof(Message response, Name zone, SOARecord soa) {
    List<RRset> proof = new ArrayList<>();
    boolean signed = false;
    for (RRset rrset : response.getSectionRRsets(Section.AUTHORITY)) {
      int type = rrset.getType();
      if (soa != null
          && rrset.getName().subdomain(zone)
          && (type == Type.SOA && rrset.getName().equals(soa.getName())
              || type == Type.NSEC
              || type == Type.NSEC3)) {
        proof.add(rrset);
        signed |= !rrset.sigs().isEmpty();
      }
    }
    return signed ? proof : List.of();
  }

  private static SOARecord soa(Message response, Name zone) {
    for (Record record : response.getSection(Section.AUTHORITY)) {
      if (record instanceof SOARecord soa && soa.getName().subdomain(zone)) {
        return soa;
      }
    }
    return null;
  }

  /** A delegation to a zone strictly below {@code zone} and above {@code qname}, or null. */
  private static Delegation referral(Message response, Name zone, Name qname) {
    for (RRset ns : response.getSectionRRsets(Section.AUTHORITY)) {
      Name cut = ns.getName();
      if (ns.getType() != Type.NS
          || cut.equals(zone)
          || !cut.subdomain(zone)
          || !qname.subdomain(cut)) {
        continue;
      }
      long ttl = ns.getTTL();
      List<InetAddress> glue = new ArrayList<>();
      List<Name> withoutGlue = new ArrayList<>();
      for (Record record : ns.rrs(false)) {
        Name server = ((NSRecord) record).getTarget();
        int found = 0;
        // Glue is believed only inside the delegating zone's bailiwick (RFC 2181 5.4.1).
        if (server.subdomain(zone)) {
          for (Record extra : response.getSection(Section.ADDITIONAL)) {
            if (extra.getName().equals(server) && extra instanceof ARecord a) {
              glue.add(a.getAddress());
              ttl = Math.min(ttl, a.getTTL());
              found++;
            } else if (extra.getName().equals(server) && extra instanceof AAAARecord aaaa) {
              glue.add(aaaa.getAddress());
              ttl = Math.min(ttl, aaaa.getTTL());
              found++;
            }
          }
        }
        if (found == 0) {
          withoutGlue.add(server);
        }
      }
      RRset nameServers = ttl == ns.getTTL() ? ns : Ttls.withTtl(ns, ttl);
      return new Delegation(cut, nameServers, glue, withoutGlue);
    }
    return null;
  }
}
