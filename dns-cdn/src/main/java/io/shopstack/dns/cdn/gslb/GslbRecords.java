package io.shopstack.dns.cdn.gslb;

import io.micrometer.core.instrument.MeterRegistry;
import io.shopstack.dns.authoritative.answer.DynamicRecords;
import io.shopstack.dns.authoritative.answer.TailoredAnswer;
import io.shopstack.dns.edns.ClientLocation;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The GSLB's service names as records: A records of the decided edges with a short TTL, so a client
 * moves to another edge soon after health changes; and a TXT record at the same name that explains
 * the decision this asker would get (client subnet, region, candidates and their health, chosen
 * edge), like a "whoami" name of a real CDN. Counts answers by region and edge, failovers and
 * fail-opens for {@code /metrics}; each decision is a debug log line.
 */
public final class GslbRecords implements DynamicRecords {
  private static final Logger log = LoggerFactory.getLogger(GslbRecords.class);

  private volatile long ttl;
  private final MeterRegistry registry;
  private volatile GslbPolicy policy;

  public GslbRecords(GslbPolicy policy, long ttl, MeterRegistry registry) {
    this.policy = policy;
    this.ttl = ttl;
    this.registry = registry;
  }

  /** Answers from {@code next} from now on (a reloaded region map and pools). */
  public void use(GslbPolicy next, long nextTtl) {
    this.ttl = nextTtl;
    this.policy = next;
  }

  public GslbPolicy policy() {
    return policy;
  }

  @Override
  public boolean owns(Name queried) {
    return policy.serves(queried);
  }

  @Override
  public TailoredAnswer answer(Name queried, int type, ClientLocation client) {
    if (type != Type.A && type != Type.ANY && type != Type.TXT) {
      return null; // AAAA and the rest: the name exists, with no such data (NODATA)
    }
    Decision decision = policy.decide(queried, client);
    if (log.isDebugEnabled()) {
      log.debug("{} {}: {}", queried, Type.string(type), decision.explain());
    }
    RRset rrset = new RRset();
    if (type == Type.TXT) {
      // Explained, not answered: counted as neither answers nor failovers.
      // TTL 0: an explanation is of this moment; nobody should cache it.
      rrset.addRR(new TXTRecord(queried, DClass.IN, 0, strings(decision.explanation())));
      return new TailoredAnswer(rrset, decision.scopePrefix());
    }
    for (Edge edge : decision.chosen()) {
      if (edge.address() instanceof Inet4Address) {
        rrset.addRR(new ARecord(queried, DClass.IN, ttl, edge.address()));
        registry.counter("gslb_edge_answers", "edge", edge.name()).increment();
      }
    }
    count(decision);
    return new TailoredAnswer(rrset, decision.scopePrefix());
  }

  /** TXT character-strings hold 255 bytes each: a long part (a big pool) is cut in pieces. */
  private static List<String> strings(List<String> parts) {
    List<String> out = new ArrayList<>();
    for (String part : parts) {
      for (int i = 0; i < part.length(); i += 255) {
        out.add(part.substring(i, Math.min(part.length(), i + 255)));
      }
    }
    return out;
  }

  private void count(Decision decision) {
    registry.counter("gslb_answers", "region", decision.region()).increment();
    switch (decision.reason()) {
      case FAILOVER ->
          registry
              .counter("gslb_failovers", "from", decision.home(), "to", decision.region())
              .increment();
      case FAIL_OPEN -> registry.counter("gslb_fail_open").increment();
      default -> {}
    }
  }
}
