package io.shopstack.dns.cdn.gslb;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shopstack.dns.authoritative.answer.DynamicRecords;
import io.shopstack.dns.authoritative.answer.TailoredAnswer;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import io.shopstack.dns.edns.ClientLocation;
import io.shopstack.dns.server.Transport;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
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
 * fail-opens for {@code /metrics}; each decision is a debug log line. Plain A queries take the fast
 * path ({@link PreparedGslbAnswers}) unless that debug log is on.
 */
public final class GslbRecords implements DynamicRecords {
  private static final Logger log = LoggerFactory.getLogger(GslbRecords.class);

  private final int ednsPayload;
  private final GslbMetrics metrics;
  private volatile PreparedGslbAnswers current;
  private volatile boolean fastPath;
  private volatile Supplier<ZoneSet> zones;

  /**
   * @param ednsPayload the UDP payload size the server advertises in its OPT
   */
  public GslbRecords(
      GslbPolicy policy, long ttl, boolean fastPath, int ednsPayload, MeterRegistry registry) {
    this.ednsPayload = ednsPayload;
    this.metrics = new GslbMetrics(registry);
    this.current = new PreparedGslbAnswers(policy, ttl, ednsPayload, metrics);
    this.fastPath = fastPath;
  }

  /** Answers from {@code next} from now on (a reloaded region map and pools). */
  public void use(GslbPolicy next, long nextTtl, boolean nextFastPath) {
    this.current = new PreparedGslbAnswers(next, nextTtl, ednsPayload, metrics);
    this.fastPath = nextFastPath;
  }

  /**
   * The zones the server answers from: the fast path answers only while the service names are
   * authoritative data there, as the full path does. Until this is set, every query takes the full
   * path.
   */
  public void servedFrom(Supplier<ZoneSet> zones) {
    this.zones = zones;
  }

  public GslbPolicy policy() {
    return current.policy();
  }

  @Override
  public boolean owns(Name queried) {
    return current.policy().serves(queried);
  }

  @Override
  public ByteBuf answerFromWire(
      ByteBufAllocator alloc,
      int headroom,
      ByteBuf query,
      InetSocketAddress client,
      Transport transport) {
    Supplier<ZoneSet> served = zones;
    if (served == null || !fastPath || log.isDebugEnabled()) {
      return null; // the full path logs every decision
    }
    try {
      return current.answer(alloc, headroom, query, client, transport, served.get());
    } catch (RuntimeException e) {
      // A bug here must cost speed, not the answer: the full path answers this query.
      log.warn("GSLB fast path failed for a query from {}: {}", client, e.toString());
      return null;
    }
  }

  @Override
  public TailoredAnswer answer(Name queried, int type, ClientLocation client) {
    if (type != Type.A && type != Type.ANY && type != Type.TXT) {
      return null; // AAAA and the rest: the name exists, with no such data (NODATA)
    }
    PreparedGslbAnswers serving = current;
    Decision decision = serving.policy().decide(queried, client);
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
        rrset.addRR(new ARecord(queried, DClass.IN, serving.ttl(), edge.address()));
      }
    }
    metrics.answered(decision.reason(), decision.home(), decision.region(), decision.chosen());
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
}
