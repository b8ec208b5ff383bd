package io.shopstack.dns.resolver.serving;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shopstack.dns.edns.Edns;
import io.shopstack.dns.resolver.cache.CachedAnswer;
import io.shopstack.dns.resolver.ecs.ClientSubnet;
import io.shopstack.dns.resolver.iteration.IterativeResolver;
import io.shopstack.dns.resolver.iteration.LoopTimers;
import io.shopstack.dns.resolver.iteration.Resolved;
import io.shopstack.dns.server.QueryHandler;
import io.shopstack.dns.server.Reply;
import io.shopstack.dns.server.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The resolver as its clients see it: who may ask (allow-list), what may be asked (standard
 * queries, no zone transfers), and how the answer is dressed: RA set, RD echoed for queries, ECS
 * echoed with the scope the answer is valid for, never AA (we are not the authority).
 */
public final class RecursiveQueryHandler implements QueryHandler {
  private final IterativeResolver resolver;
  private final AllowList allowList;
  private final ClientRateLimit rateLimit;
  private final ResolverMetrics metrics;
  private final int ecsIpv4Prefix;
  private final int ecsIpv6Prefix;
  private final Duration safetyTimeout;
  private final CacheHitReplay replay;

  public RecursiveQueryHandler(
      IterativeResolver resolver,
      AllowList allowList,
      ClientRateLimit rateLimit,
      ResolverMetrics metrics,
      int ecsIpv4Prefix,
      int ecsIpv6Prefix,
      Duration totalTimeout) {
    this.resolver = resolver;
    this.allowList = allowList;
    this.rateLimit = rateLimit;
    this.metrics = metrics;
    this.ecsIpv4Prefix = ecsIpv4Prefix;
    this.ecsIpv6Prefix = ecsIpv6Prefix;
    // The resolver enforces its own deadline; this is the net under it, so a client always hears.
    this.safetyTimeout = totalTimeout.plusSeconds(1);
    this.replay = new CacheHitReplay(resolver, allowList, rateLimit, metrics);
  }

  /** Cache hits replayed before the query is parsed ({@link CacheHitReplay}); null otherwise. */
  @Override
  public ByteBuf answerFromWire(
      ByteBufAllocator alloc,
      int headroom,
      ByteBuf query,
      InetSocketAddress client,
      Transport transport) {
    return replay.answer(alloc, headroom, query, client, transport);
  }

  @Override
  public CompletionStage<Message> handle(
      Message query, InetSocketAddress client, Transport transport) {
    metrics.query();
    if (!allowList.permits(client.getAddress())) {
      metrics.refused();
      return reply(query, Rcode.REFUSED);
    }
    if (!rateLimit.permits(client.getAddress())) {
      metrics.rateLimited();
      return reply(query, Rcode.REFUSED);
    }
    Record question = query.getQuestion();
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      return reply(query, Rcode.NOTIMP);
    }
    if (question == null || query.getHeader().getCount(Section.QUESTION) > 1) {
      // RFC 9619: more than one question is FORMERR, not an answer to the first one.
      return reply(query, Rcode.FORMERR);
    }
    if (question.getType() == Type.AXFR || question.getType() == Type.IXFR) {
      return reply(query, Rcode.REFUSED); // zone transfers are for authoritative servers
    }
    ClientSubnet subnet = ClientSubnet.of(query, client.getAddress(), ecsIpv4Prefix, ecsIpv6Prefix);
    boolean recursionDesired = query.getHeader().getFlag(Flags.RD);
    long started = System.nanoTime();
    boolean missed = false;
    if (subnet.echo(0) == null) {
      // No ECS option to echo, so the answer depends only on the cached entry: replayable.
      Optional<CachedAnswer> hit =
          resolver.cachedAnswer(
              question.getName(),
              question.getType(),
              question.getDClass(),
              subnet,
              !recursionDesired);
      if (hit.isPresent()) {
        metrics.answered(started);
        metrics.cacheHit();
        return CompletableFuture.completedFuture(cacheHit(query, hit.get()));
      }
      missed = true;
    }
    CompletableFuture<Resolved> resolution =
        missed
            ? resolver.resolveMissed(
                question.getName(),
                question.getType(),
                question.getDClass(),
                subnet,
                !recursionDesired)
            : resolver.resolve(
                question.getName(),
                question.getType(),
                question.getDClass(),
                subnet,
                !recursionDesired);
    return LoopTimers.within(resolution, safetyTimeout.toMillis())
        .handle(
            (resolved, error) -> {
              metrics.answered(started);
              if (error != null) {
                metrics.servFail("timeout");
                return response(query, Rcode.SERVFAIL, List.of(), List.of(), subnet, 0);
              }
              metrics.resolved(resolved);
              return response(
                  query,
                  resolved.rcode(),
                  resolved.answer(),
                  resolved.authority(),
                  subnet,
                  resolved.ecsScope());
            });
  }

  /** The answer {@link #response} would make of a cached entry, able to replay its encoding. */
  static Message cacheHit(Message query, CachedAnswer hit) {
    Message start = Reply.to(query);
    int shape =
        shape(
            start.getHeader().getFlag(Flags.RD),
            query.getOPT() != null,
            query.getHeader().getFlag(Flags.CD),
            dnssecOk(query));
    PreparedResponse response =
        new PreparedResponse(start, hit.wireForms(), shape, hit.secondsLeft());
    List<RRset> answer = hit.isNegative() ? List.of() : List.of(hit.records());
    List<RRset> authority = hit.authority();
    fill(response, query, hit.rcode(), answer, authority, null);
    return response.seal();
  }

  /** Which of an entry's kept encodings ({@code WireForms}) answers a query with these bits. */
  static int shape(
      boolean recursionDesired, boolean edns, boolean checkingDisabled, boolean dnssecOk) {
    return (recursionDesired ? 1 : 0)
        | (edns ? 2 : 0)
        | (checkingDisabled ? 4 : 0)
        | (dnssecOk ? 8 : 0);
  }

  private static CompletableFuture<Message> reply(Message query, int rcode) {
    Message response = Reply.error(query, rcode, Edns.PAYLOAD_SIZE);
    response.getHeader().setFlag(Flags.RA);
    return CompletableFuture.completedFuture(response);
  }

  static Message response(
      Message query,
      int rcode,
      List<RRset> answer,
      List<RRset> authority,
      ClientSubnet subnet,
      int ecsScope) {
    Message response = Reply.to(query);
    fill(response, query, rcode, answer, authority, subnet.echo(ecsScope));
    return response;
  }

  /** Everything after the header and question; {@code echo} is the ECS option to echo, or null. */
  private static void fill(
      Message response,
      Message query,
      int rcode,
      List<RRset> answer,
      List<RRset> authority,
      ClientSubnetOption echo) {
    response.getHeader().setFlag(Flags.RA);
    // CD is copied into the response (RFC 4035 3.2.2); we validate nothing either way, and AD is
    // never set, as unbound without a trust anchor does.
    if (query.getHeader().getFlag(Flags.CD)) {
      response.getHeader().setFlag(Flags.CD);
    }
    response.getHeader().setRcode(rcode);
    boolean dnssecOk = dnssecOk(query);
    addAll(response, answer, Section.ANSWER, dnssecOk);
    addAll(response, authority, Section.AUTHORITY, dnssecOk);
    if (query.getOPT() != null) {
      // DO echoed (RFC 3225 3): a client that asked for signatures learns they were kept.
      int flags = dnssecOk ? ExtendedFlags.DO : 0;
      response.addRecord(
          echo == null
              ? new OPTRecord(Edns.PAYLOAD_SIZE, 0, 0, flags)
              : new OPTRecord(Edns.PAYLOAD_SIZE, 0, 0, flags, echo),
          Section.ADDITIONAL);
    }
  }

  /** The client set DO: it gets the RRSIGs the authorities sent with the records (RFC 3225). */
  private static boolean dnssecOk(Message query) {
    OPTRecord opt = query.getOPT();
    return opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
  }

  private static void addAll(Message response, List<RRset> rrsets, int section, boolean sigs) {
    for (RRset rrset : rrsets) {
      if (!sigs && (rrset.getType() == Type.NSEC || rrset.getType() == Type.NSEC3)) {
        continue; // a negative answer's proof is for clients that asked for DNSSEC (RFC 4035 3.2.1)
      }
      for (Record record : rrset.rrs(false)) {
        response.addRecord(record, section);
      }
      if (sigs) {
        for (Record sig : rrset.sigs()) {
          response.addRecord(sig, section);
        }
      }
    }
  }
}
