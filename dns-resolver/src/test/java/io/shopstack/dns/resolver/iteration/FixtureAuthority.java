package io.shopstack.dns.resolver.iteration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopstack.dns.edns.Edns;
import io.shopstack.dns.net.AddressBlock;
import io.shopstack.dns.resolver.ecs.ClientSubnet;
import io.shopstack.dns.server.DnsServer;
import io.shopstack.dns.server.QueryHandler;
import io.shopstack.dns.server.Transport;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

/**
 * A test-only authoritative server for one zone file, on the real DNS transport: answers with AA,
 * refers below zone cuts with glue, NXDOMAIN/NODATA with the SOA, and (for the CDN zone) answers
 * one name by the client subnet in the query's ECS option, echoing a /24 scope like a GSLB. It
 * counts the queries it receives and remembers where they came from.
 */
final class FixtureAuthority implements QueryHandler, AutoCloseable {
  /** Per-subnet answers for one name: what the fixture GSLB does. */
  record Gslb(Name name, Map<AddressBlock, InetAddress> regions) {}

  private final Zone zone;
  private final Gslb gslb;
  private final DnsServer server;
  final AtomicInteger queries = new AtomicInteger();
  final Set<InetAddress> sources = ConcurrentHashMap.newKeySet();
  final AtomicReference<ClientSubnetOption> lastEcs = new AtomicReference<>();
  final AtomicInteger queriesWithEcs = new AtomicInteger();

  /** Source ports and query IDs seen over UDP, for the anti-spoofing checks (RFC 5452). */
  final List<Integer> udpSourcePorts = Collections.synchronizedList(new ArrayList<>());

  final List<Integer> udpQueryIds = Collections.synchronizedList(new ArrayList<>());

  /** Every question received, as "name TYPE" with the name's case as it came. */
  final List<String> questions = Collections.synchronizedList(new ArrayList<>());

  /** Records added to every response, in the section given: what a poisoning server slips in. */
  final List<Map.Entry<Integer, Record>> slippedIn =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Answers with the question in lower case, as servers that ignore 0x20 do. */
  volatile boolean lowercasesQuestions;

  /** Queries still to be left unanswered, like a server too busy (or too cold) to reply. */
  final AtomicInteger unansweredToCome = new AtomicInteger();

  /** While set, every query gets SERVFAIL, like a server whose zone failed to load. */
  volatile boolean failing;

  FixtureAuthority(String zoneName, String address, int port, Gslb gslb) throws Exception {
    Name origin = Name.fromString(zoneName);
    String resource = "/zones/" + (origin.equals(Name.root) ? "root." : zoneName) + "zone";
    try (InputStream in = FixtureAuthority.class.getResourceAsStream(resource)) {
      this.zone = new Zone(origin, in);
    }
    this.gslb = gslb;
    this.server =
        new DnsServer(
                new DnsServer.Settings("fixture-" + zoneName, new InetSocketAddress(address, port)),
                this,
                new SimpleMeterRegistry())
            .start();
  }

  int port() {
    return server.port();
  }

  @Override
  public CompletionStage<Message> handle(
      Message query, InetSocketAddress client, Transport transport) {
    queries.incrementAndGet();
    sources.add(client.getAddress());
    if (transport == Transport.UDP) {
      udpSourcePorts.add(client.getPort());
      udpQueryIds.add(query.getHeader().getID());
    }
    if (ClientSubnet.optionIn(query) != null) {
      queriesWithEcs.incrementAndGet();
    }
    if (query.getQuestion() != null) {
      questions.add(
          query.getQuestion().getName() + " " + Type.string(query.getQuestion().getType()));
    }
    if (unansweredToCome.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return new CompletableFuture<>();
    }
    if (failing) {
      Message servFail = new Message(query.getHeader().getID());
      servFail.getHeader().setFlag(Flags.QR);
      servFail.getHeader().setRcode(Rcode.SERVFAIL);
      servFail.addRecord(query.getQuestion(), Section.QUESTION);
      return CompletableFuture.completedFuture(servFail);
    }
    ClientSubnetOption ecs = ClientSubnet.optionIn(query);
    lastEcs.set(ecs);
    Record question = query.getQuestion();
    if (lowercasesQuestions) {
      question =
          Record.newRecord(
              Name.fromConstantString(question.getName().toString().toLowerCase()),
              question.getType(),
              question.getDClass());
    }
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(question, Section.QUESTION);
    if (gslb != null && question.getName().equals(gslb.name()) && question.getType() == Type.A) {
      answerByRegion(response, ecs, client.getAddress());
    } else {
      answerFromZone(response, question);
    }
    slippedIn.forEach(extra -> response.addRecord(extra.getValue(), extra.getKey()));
    if (query.getOPT() != null && response.getOPT() == null) {
      response.addRecord(new OPTRecord(Edns.PAYLOAD_SIZE, 0, 0), Section.ADDITIONAL);
    }
    return CompletableFuture.completedFuture(response);
  }

  private void answerByRegion(Message response, ClientSubnetOption ecs, InetAddress resolver) {
    InetAddress located = ecs != null ? ecs.getAddress() : resolver;
    InetAddress edge =
        zone.findExactMatch(gslb.name(), Type.A).first() instanceof ARecord a
            ? a.getAddress()
            : null;
    for (Map.Entry<AddressBlock, InetAddress> region : gslb.regions().entrySet()) {
      if (region.getKey().contains(located)) {
        edge = region.getValue();
      }
    }
    response.getHeader().setFlag(Flags.AA);
    response.addRecord(new ARecord(gslb.name(), DClass.IN, 30, edge), Section.ANSWER);
    if (ecs != null) {
      ClientSubnetOption echo =
          new ClientSubnetOption(
              ecs.getSourcePrefixLength(),
              Math.min(24, ecs.getSourcePrefixLength()),
              ecs.getAddress());
      response.addRecord(new OPTRecord(Edns.PAYLOAD_SIZE, 0, 0, 0, echo), Section.ADDITIONAL);
    }
  }

  private void answerFromZone(Message response, Record question) {
    SetResponse found = zone.findRecords(question.getName(), question.getType());
    if (found.isSuccessful()) {
      response.getHeader().setFlag(Flags.AA);
      found.answers().forEach(rrset -> add(response, rrset, Section.ANSWER));
    } else if (found.isCNAME()) {
      response.getHeader().setFlag(Flags.AA);
      response.addRecord(found.getCNAME(), Section.ANSWER);
    } else if (found.isDelegation()) {
      RRset ns = found.getNS();
      add(response, ns, Section.AUTHORITY);
      for (Record record : ns.rrs(false)) {
        RRset glue = zone.findExactMatch(((NSRecord) record).getTarget(), Type.A);
        if (glue != null) {
          add(response, glue, Section.ADDITIONAL);
        }
      }
    } else if (found.isNXDOMAIN() || found.isNXRRSET()) {
      response.getHeader().setFlag(Flags.AA);
      if (found.isNXDOMAIN()) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
      }
      response.addRecord(zone.getSOA(), Section.AUTHORITY);
    } else {
      response.getHeader().setRcode(Rcode.REFUSED);
    }
  }

  private static void add(Message response, RRset rrset, int section) {
    rrset.rrs(false).forEach(record -> response.addRecord(record, section));
  }

  @Override
  public void close() {
    server.close();
  }
}
