package io.shopstack.dns.authoritative.answer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shopstack.dns.authoritative.transfer.ZoneTransfer;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import io.shopstack.dns.edns.ClientLocation;
import io.shopstack.dns.edns.Edns;
import io.shopstack.dns.server.QueryHandler;
import io.shopstack.dns.server.Reply;
import io.shopstack.dns.server.Transport;
import io.shopstack.dns.server.UnchangedAnswers;
import java.net.InetSocketAddress;
import java.util.Iterator;
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
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The authoritative server's answer to a well-formed message, everything around the zone data: the
 * header as {@link Reply} starts every answer (RA clear: we do not recurse), NOTIMP/FORMERR/REFUSED
 * for what we do not serve, and EDNS(0) with Client Subnet for the GSLB. Answers come from memory,
 * so the returned stage is already complete.
 */
public final class AuthoritativeHandler implements QueryHandler {
  private static final Logger log = LoggerFactory.getLogger(AuthoritativeHandler.class);
  private static final int CLASSIC_UDP_LIMIT = 512;
  private static final int OPT_ROOM = 64;

  private final Supplier<ZoneSet> zones;
  private final ZoneAnswers answers;
  private final int ednsPayload;
  private final boolean clientSubnetAware;
  private final ZoneTransfer transfer;
  private final DynamicRecords dynamic;
  private final ServerIdentity identity;

  /**
   * @param dynamic per-query records (the GSLB), or null for a plain zone server
   * @param ednsPayload the UDP payload size we advertise (1232 avoids IP fragmentation)
   */
  public AuthoritativeHandler(ZoneSet zones, DynamicRecords dynamic, int ednsPayload) {
    this(() -> zones, dynamic, ednsPayload, null, "dns-authoritative");
  }

  /**
   * @param zones the zones being served now (they change on reload)
   * @param transfer AXFR over TCP, or null to refuse every zone transfer
   * @param identity what CH TXT {@code id.server} answers (RFC 4892): the instance's name
   */
  public AuthoritativeHandler(
      Supplier<ZoneSet> zones,
      DynamicRecords dynamic,
      int ednsPayload,
      ZoneTransfer transfer,
      String identity) {
    this.zones = zones;
    this.answers = new ZoneAnswers(zones, dynamic);
    this.ednsPayload = ednsPayload;
    this.clientSubnetAware = dynamic != null;
    this.dynamic = dynamic;
    this.transfer = transfer;
    this.identity = new ServerIdentity(identity);
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

  /**
   * After a reload that kept some zones as they were (their files unchanged), the answers those
   * zones gave still hold ({@link KeptZones}); with dynamic records there are no prepared answers.
   */
  @Override
  public UnchangedAnswers unchangedAnswers(Object before, Object after) {
    return clientSubnetAware ? null : KeptZones.between(before, after);
  }

  /** The dynamic records' own fast path, if they have one (the GSLB's tailored answers). */
  @Override
  public ByteBuf answerFromWire(
      ByteBufAllocator alloc,
      int headroom,
      ByteBuf query,
      InetSocketAddress client,
      Transport transport) {
    return dynamic == null
        ? null
        : dynamic.answerFromWire(alloc, headroom, query, client, transport);
  }

  @Override
  public CompletionStage<List<Message>> handleOverTcp(Message query, InetSocketAddress client) {
    if (isTransfer(query)) {
      return CompletableFuture.completedFuture(transfer.answer(query, zones.get(), client));
    }
    return QueryHandler.super.handleOverTcp(query, client);
  }

  /** A zone transfer streams from the zones served when it began, message by message. */
  @Override
  public CompletionStage<Iterator<Message>> streamOverTcp(Message query, InetSocketAddress client) {
    if (isTransfer(query)) {
      return CompletableFuture.completedFuture(transfer.stream(query, zones.get(), client));
    }
    return QueryHandler.super.streamOverTcp(query, client);
  }

  private boolean isTransfer(Message query) {
    Record question = query.getQuestion();
    return transfer != null
        && question != null
        && query.getHeader().getOpcode() == Opcode.QUERY
        && query.getHeader().getCount(Section.QUESTION) == 1
        && question.getDClass() == DClass.IN
        && (question.getType() == Type.AXFR || question.getType() == Type.IXFR);
  }

  @Override
  public CompletionStage<Message> handle(
      Message query, InetSocketAddress client, Transport transport) {
    try {
      return CompletableFuture.completedFuture(answer(query, client, transport));
    } catch (RuntimeException e) {
      log.warn("query {} from {} failed: {}", query.getQuestion(), client, e.toString());
      return CompletableFuture.completedFuture(Reply.error(query, Rcode.SERVFAIL, ednsPayload));
    }
  }

  private Message answer(Message query, InetSocketAddress client, Transport transport) {
    // The transport has answered unusable EDNS (two OPTs, a bad owner, another version) already.
    int opcode = query.getHeader().getOpcode();
    if (opcode != Opcode.QUERY) {
      Message notImp = Reply.error(query, Rcode.NOTIMP, ednsPayload);
      if (opcode != Opcode.NOTIFY && opcode != Opcode.UPDATE) {
        // STATUS, IQUERY and unassigned opcodes have no question section we could vouch for:
        // NSD and BIND both answer them with an empty one (BIND keeps the OPT, as we do).
        notImp.removeAllRecords(Section.QUESTION);
      }
      return notImp;
    }
    if (query.getHeader().getCount(Section.QUESTION) != 1) {
      return Reply.error(query, Rcode.FORMERR, ednsPayload);
    }
    OPTRecord opt = query.getOPT();
    Record question = query.getQuestion();
    int qtype = question.getType();
    if (question.getDClass() == DClass.CH) {
      Message response = Reply.to(query);
      if (identity.answer(response, question.getName(), qtype)) {
        return withOpt(response, opt, null, 0);
      }
    }
    if (question.getDClass() == DClass.IN && qtype == Type.IXFR && transfer != null) {
      // Over TCP transfers go to streamOverTcp; over UDP an IXFR gets our SOA (or FORMERR without
      // the client's), as NSD and BIND answer.
      return withOpt(transfer.overUdp(query, zones.get(), client), opt, null, 0);
    }
    if (question.getDClass() != DClass.IN || qtype == Type.AXFR || qtype == Type.IXFR) {
      // AXFR is TCP only (RFC 5936 4.2); like BIND, a transfer asked over UDP, or not allowed, is
      // REFUSED.
      return Reply.error(query, Rcode.REFUSED, ednsPayload);
    }
    ClientSubnetOption subnet = clientSubnetAware ? Edns.clientSubnet(opt) : null;
    ClientLocation location =
        subnet != null && subnet.getSourcePrefixLength() > 0
            ? new ClientLocation(subnet.getAddress(), subnet.getSourcePrefixLength(), true)
            : ClientLocation.ofSource(client.getAddress());
    // BIND 9.18's default (minimal-responses no-auth-recursive): the zone's NS and their addresses
    // go with positive answers to non-recursive queries, which resolvers send, and not to stub
    // clients' recursive ones. NSD adds them to every answer.
    boolean nameServers = !query.getHeader().getFlag(Flags.RD);
    Message response = Reply.to(query);
    ZoneAnswers.Outcome outcome =
        answers.fill(response, question.getName(), qtype, location, nameServers);
    if (outcome == null) {
      return Reply.error(query, Rcode.REFUSED, ednsPayload);
    }
    if (nameServers && !fits(response, opt, transport)) {
      // Extra records never cost an answer TC (RFC 2181 9): without them, it may still fit.
      response = Reply.to(query);
      outcome = answers.fill(response, question.getName(), qtype, location, false);
    }
    response.getHeader().setRcode(outcome.rcode());
    // RFC 7871 7.2.1: a SOURCE of 0 means "do not tailor", so the answer holds for everyone.
    int scope = subnet != null && subnet.getSourcePrefixLength() == 0 ? 0 : outcome.scopePrefix();
    return withOpt(response, opt, subnet, scope);
  }

  /**
   * Whether {@code response}, before its OPT, leaves room within the size the query may receive for
   * an OPT with a cookie or a client subnet (64 bytes: more than either needs).
   */
  private boolean fits(Message response, OPTRecord opt, Transport transport) {
    if (transport == Transport.TCP) {
      return true;
    }
    int limit =
        opt == null
            ? CLASSIC_UDP_LIMIT
            : Math.max(CLASSIC_UDP_LIMIT, Math.min(opt.getPayloadSize(), ednsPayload));
    return response.toWire().length + (opt == null ? 0 : OPT_ROOM) <= limit;
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
