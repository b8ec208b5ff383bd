package io.shopstack.dns.authoritative.answer;

import io.shopstack.dns.authoritative.transfer.ZoneTransfer;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import io.shopstack.dns.edns.ClientLocation;
import io.shopstack.dns.edns.Edns;
import io.shopstack.dns.server.QueryHandler;
import io.shopstack.dns.server.Transport;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The authoritative server's answer to a well-formed message, everything around the zone data: the
 * header (ID, RD copied, RA clear), the question echoed byte for byte so 0x20 case randomisation
 * checks pass, NOTIMP/FORMERR/REFUSED for what we do not serve, and EDNS(0). Answers come from
 * memory, so the returned stage is already complete.
 */
public final class AuthoritativeHandler implements QueryHandler {
  private static final Logger log = LoggerFactory.getLogger(AuthoritativeHandler.class);

  private final Supplier<ZoneSet> zones;
  private final ZoneAnswers answers;
  private final int ednsPayload;
  private final boolean clientSubnetAware;
  private final ZoneTransfer transfer;

  /**
   * @param dynamic per-query records (the GSLB), or null for a plain zone server
   * @param ednsPayload the UDP payload size we advertise (1232 avoids IP fragmentation)
   */
  public AuthoritativeHandler(ZoneSet zones, DynamicRecords dynamic, int ednsPayload) {
    this(() -> zones, dynamic, ednsPayload, null);
  }

  /**
   * @param zones the zones being served now (they change on reload)
   * @param transfer AXFR over TCP, or null to refuse every zone transfer
   */
  public AuthoritativeHandler(
      Supplier<ZoneSet> zones, DynamicRecords dynamic, int ednsPayload, ZoneTransfer transfer) {
    this.zones = zones;
    this.answers = new ZoneAnswers(zones, dynamic);
    this.ednsPayload = ednsPayload;
    this.clientSubnetAware = dynamic != null;
    this.transfer = transfer;
  }

  /**
   * The zones themselves: without dynamic records an answer depends only on them and the question,
   * and a reload publishes a new {@link ZoneSet}, so the transport's prepared answers are dropped
   * with the old one. The GSLB's answers depend on the client, so it gets none.
   */
  @Override
  public Object answerSnapshot() {
    return clientSubnetAware ? null : zones.get();
  }

  @Override
  public CompletionStage<List<Message>> handleOverTcp(Message query, InetSocketAddress client) {
    Record question = query.getQuestion();
    if (transfer != null
        && question != null
        && query.getHeader().getOpcode() == Opcode.QUERY
        && query.getHeader().getCount(Section.QUESTION) == 1
        && question.getDClass() == DClass.IN
        && (question.getType() == Type.AXFR || question.getType() == Type.IXFR)) {
      return CompletableFuture.completedFuture(transfer.answer(query, zones.get(), client));
    }
    return QueryHandler.super.handleOverTcp(query, client);
  }

  @Override
  public CompletionStage<Message> handle(
      Message query, InetSocketAddress client, Transport transport) {
    try {
      return CompletableFuture.completedFuture(answer(query, client));
    } catch (RuntimeException e) {
      log.warn("query {} from {} failed: {}", query.getQuestion(), client, e.toString());
      Message response = start(query);
      response.getHeader().setRcode(Rcode.SERVFAIL);
      return CompletableFuture.completedFuture(response);
    }
  }

  private Message answer(Message query, InetSocketAddress client) {
    Message response = start(query);
    Header header = query.getHeader();
    if (header.getOpcode() != Opcode.QUERY) {
      return rcode(response, Rcode.NOTIMP);
    }
    Record[] additional = query.getSectionArray(Section.ADDITIONAL);
    long opts = Arrays.stream(additional).filter(r -> r.getType() == Type.OPT).count();
    if (header.getCount(Section.QUESTION) != 1 || opts > 1) {
      return rcode(response, Rcode.FORMERR); // RFC 6891 6.1.1: at most one OPT
    }
    OPTRecord opt = query.getOPT();
    if (opt != null && opt.getVersion() != 0) {
      // RFC 6891 6.1.3: we speak version 0 only; say so in our own OPT.
      response.addRecord(
          Edns.responseOpt(opt, ednsPayload, Rcode.BADVERS, List.of()), Section.ADDITIONAL);
      response.getHeader().setRcode(Rcode.BADVERS & 0xF);
      return response;
    }
    Record question = query.getQuestion();
    int qtype = question.getType();
    if (question.getDClass() != DClass.IN || qtype == Type.AXFR || qtype == Type.IXFR) {
      // Zone transfers are TCP only (RFC 5936 4.2) and handled in handleOverTcp; like BIND, a
      // transfer asked over UDP, or not allowed, is REFUSED.
      return withOpt(rcode(response, Rcode.REFUSED), opt, null, 0);
    }
    ClientSubnetOption subnet = clientSubnetAware ? Edns.clientSubnet(opt) : null;
    ClientLocation location =
        subnet != null && subnet.getSourcePrefixLength() > 0
            ? new ClientLocation(subnet.getAddress(), subnet.getSourcePrefixLength(), true)
            : ClientLocation.ofSource(client.getAddress());
    ZoneAnswers.Outcome outcome = answers.fill(response, question.getName(), qtype, location);
    if (outcome == null) {
      return withOpt(rcode(response, Rcode.REFUSED), opt, null, 0);
    }
    response.getHeader().setRcode(outcome.rcode());
    // RFC 7871 7.2.1: a SOURCE of 0 means "do not tailor", so the answer holds for everyone.
    int scope = subnet != null && subnet.getSourcePrefixLength() == 0 ? 0 : outcome.scopePrefix();
    return withOpt(response, opt, subnet, scope);
  }

  /** Header and question of every response, whatever its rcode. */
  private static Message start(Message query) {
    Message response = new Message(query.getHeader().getID());
    Header header = response.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    }
    if (query.getHeader().getCount(Section.QUESTION) == 1) {
      // The very record we parsed: the client's letter case survives (draft-vixie-dnsext-dns0x20).
      response.addRecord(query.getQuestion(), Section.QUESTION);
    }
    return response;
  }

  private static Message rcode(Message response, int rcode) {
    response.getHeader().setRcode(rcode);
    return response;
  }

  private Message withOpt(
      Message response, OPTRecord queryOpt, ClientSubnetOption subnet, int scope) {
    if (queryOpt == null) {
      return response; // RFC 6891 7: no OPT in the answer to a query without one
    }
    List<EDNSOption> options = subnet == null ? List.of() : List.of(Edns.echo(subnet, scope));
    response.addRecord(Edns.responseOpt(queryOpt, ednsPayload, 0, options), Section.ADDITIONAL);
    return response;
  }
}
