package io.shopstack.dns.cdn.gslb;

import io.micrometer.core.instrument.MeterRegistry;
import io.shopstack.dns.authoritative.answer.DynamicRecords;
import io.shopstack.dns.authoritative.answer.TailoredAnswer;
import io.shopstack.dns.edns.ClientLocation;
import java.net.Inet4Address;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * The GSLB name ({@code shop.cdn.example.}) as records: A records of the placed edges with a short
 * TTL, so a client moves to another edge soon after health or load changes. Counts answers by
 * region for {@code /metrics}.
 */
public final class GslbRecords implements DynamicRecords {
  private final Name name;
  private final long ttl;
  private final GslbPolicy policy;
  private final MeterRegistry registry;

  public GslbRecords(Name name, long ttl, GslbPolicy policy, MeterRegistry registry) {
    this.name = name;
    this.ttl = ttl;
    this.policy = policy;
    this.registry = registry;
  }

  @Override
  public boolean owns(Name queried) {
    return name.equals(queried);
  }

  @Override
  public TailoredAnswer answer(Name queried, int type, ClientLocation client) {
    if (type != Type.A && type != Type.ANY) {
      return null; // AAAA and the rest: the name exists, with no such data (NODATA)
    }
    Placement placement = policy.place(client);
    RRset rrset = new RRset();
    for (Edge edge : placement.edges()) {
      if (edge.address() instanceof Inet4Address) {
        rrset.addRR(new ARecord(queried, DClass.IN, ttl, edge.address()));
      }
    }
    registry.counter("gslb_answers", "region", placement.region()).increment();
    return new TailoredAnswer(rrset, placement.scopePrefix());
  }
}
