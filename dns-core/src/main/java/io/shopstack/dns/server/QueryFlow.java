package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.FastThreadLocal;
import io.shopstack.dns.edns.ServerCookies;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TcpKeepaliveOption;

/**
 * The one path every query takes, whatever carried it: a prepared answer replayed when there is
 * one, else parse, FORMERR for garbage, EDNS checks, the handler, SERVFAIL when the handler fails,
 * our DNS cookie added, encode within the size limit. The transports only take bytes off their wire
 * and put answers back on it ({@link Wire}); nothing here knows about datagrams or length prefixes.
 */
final class QueryFlow {
  private static final Logger log = LoggerFactory.getLogger(QueryFlow.class);

  /**
   * A transport's side of the flow. Answers are handed over with {@link #headroom()} bytes free at
   * the front for the transport's framing, so the prepared path writes each answer into one buffer.
   */
  interface Wire {
    Transport transport();

    /** Bytes the transport writes in front of each answer (TCP's length), reserved by the flow. */
    int headroom();

    /**
     * A buffer for one prepared answer of exactly {@code bytes} (headroom included), writer index
     * anywhere: where the transport has room for it, which need not be a buffer of its own.
     */
    default ByteBuf buffer(ChannelHandlerContext ctx, int bytes) {
      return ctx.alloc().ioBuffer(bytes);
    }

    /**
     * Queues one answer; the transport owns the buffer from here. The future says when it left
     * (over UDP a void one: nobody waits for a datagram).
     */
    ChannelFuture send(ChannelHandlerContext ctx, InetSocketAddress client, ByteBuf answer);

    /**
     * Every answer to one query has been queued (none, when the handler chose silence): the query
     * is done. Called once per query, from whatever thread finished it.
     */
    void flush(ChannelHandlerContext ctx);

    /** A message too broken to answer: what that means for the transport (TCP closes). */
    void abandon(ChannelHandlerContext ctx);
  }

  private final QueryHandler handler;
  private final AnswerReplay replay;
  private final DnsServerMetrics metrics;
  private final int maxUdpPayload;
  private final ServerCookies cookies = new ServerCookies();

  /** RFC 7828: our TCP idle timeout, in units of 100 ms, for clients that ask over TCP. */
  private final TcpKeepaliveOption keepalive;

  /** Each event loop reads its queries into one instance (see {@link PlainQuery#readInto}). */
  private static final FastThreadLocal<PlainQuery> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected PlainQuery initialValue() {
          return new PlainQuery();
        }
      };

  /**
   * @param tcpIdleSeconds how long an idle TCP connection stays open: what a client that asks (RFC
   *     7828 edns-tcp-keepalive) is told
   */
  QueryFlow(
      QueryHandler handler,
      AnswerReplay replay,
      DnsServerMetrics metrics,
      int maxUdpPayload,
      int tcpIdleSeconds) {
    this.handler = handler;
    this.replay = replay;
    this.metrics = metrics;
    this.maxUdpPayload = maxUdpPayload;
    this.keepalive = new TcpKeepaliveOption(Math.min(0xffff, tcpIdleSeconds * 10));
  }

  /** Answers the query in {@code wire} (the caller keeps ownership of that buffer). */
  void answer(ChannelHandlerContext ctx, ByteBuf wire, InetSocketAddress client, Wire transport) {
    long start = metrics.start();
    ByteBuf own =
        handler.answerFromWire(
            ctx.alloc(), transport.headroom(), wire, client, transport.transport());
    if (own != null) {
      fromWire(ctx, wire, client, transport, own, start);
      return;
    }
    PlainQuery scratch = SCRATCH.get();
    PreparedAnswers prepared =
        scratch.readInto(wire, transport.transport(), maxUdpPayload) ? replay.current() : null;
    if (prepared != null) {
      byte[] answer = prepared.find(scratch.key);
      if (answer != null && AnswerReplay.fits(answer, scratch)) {
        replayed(ctx, wire, client, transport, answer, scratch, start);
        return;
      }
    }
    // Its answer may be made later, after the next query was read into the scratch.
    PlainQuery plain = prepared == null ? null : scratch.copy();
    byte[] bytes = ByteBufUtil.getBytes(wire);
    WireFormat.Parsed parsed = WireFormat.parse(bytes);
    Message cookieless = parsed.query() == null ? MalformedCookie.queryWithout(bytes) : null;
    if (cookieless != null) {
      metrics.malformed();
      log.debug("query from {} with a malformed cookie", client);
      // Even with another EDNS version: BIND judges the cookie first (NSD, which ignores cookies,
      // answers BADVERS). Our OPT says version 0 either way.
      Message formErr = Reply.error(cookieless, Rcode.FORMERR, maxUdpPayload);
      send(ctx, client, transport, cookieless, List.of(formErr), start, null, null);
      return;
    }
    if (parsed.query() == null) {
      metrics.malformed();
      log.debug(
          "malformed query from {} over {}: {}", client, transport.transport(), parsed.error());
      byte[] formErr = WireFormat.formErr(bytes);
      if (formErr == null) {
        transport.abandon(ctx);
      } else {
        transport.send(ctx, client, framed(formErr, transport.headroom()));
        transport.flush(ctx);
      }
      return;
    }
    Message query = parsed.query();
    Message refusal = WireFormat.ednsRefusal(query, maxUdpPayload);
    if (refusal != null) {
      metrics.malformed();
      log.debug("query from {} with unusable EDNS: {}", client, refusal.getRcode());
      send(ctx, client, transport, query, List.of(refusal), start, null, null);
      return;
    }
    Message cookieOnly = WireFormat.serverCookieRequest(query, maxUdpPayload);
    if (cookieOnly != null) {
      send(ctx, client, transport, query, List.of(cookieOnly), start, null, null);
      return;
    }
    Admission admission = handler.admit(client, transport.transport());
    if (admission != Admission.SEND) {
      List<Message> slip = admission == Admission.SLIP ? List.of(slip(query)) : List.of();
      send(ctx, client, transport, query, slip, start, null, null);
      return;
    }
    handled(query, client, transport.transport())
        .whenComplete(
            (responses, error) -> {
              if (error == null) {
                if (!responses.hasNext()) {
                  send(ctx, client, transport, query, List.of(), start, null, null);
                  return;
                }
                Message first = responses.next();
                if (responses.hasNext()) {
                  stream(ctx, client, transport, query, first, responses, start);
                  return;
                }
                send(ctx, client, transport, query, List.of(first), start, prepared, plain);
                return;
              }
              log.warn(
                  "query from {} over {} failed: {}",
                  client,
                  transport.transport(),
                  error.toString());
              List<Message> servFail = List.of(WireFormat.servFail(query, maxUdpPayload));
              send(ctx, client, transport, query, servFail, start, null, null);
            });
  }

  /**
   * The fast path: a prepared answer, or what the handler's rate limiting makes of it. Nothing
   * parsed, nothing encoded, nothing allocated but the answer's own buffer.
   */
  private void replayed(
      ChannelHandlerContext ctx,
      ByteBuf wire,
      InetSocketAddress client,
      Wire transport,
      byte[] answer,
      PlainQuery query,
      long start) {
    switch (handler.admit(client, transport.transport())) {
      case SEND -> {
        // Counted before it leaves, so whoever reads /metrics after the answer sees it counted.
        metrics.replayed(KeptAnswer.answers(answer), KeptAnswer.truncated(answer), start);
        transport.send(
            ctx,
            client,
            AnswerReplay.write(
                transport.buffer(ctx, AnswerReplay.bytes(answer, query, transport.headroom())),
                answer,
                query,
                wire,
                transport.headroom(),
                cookies,
                client));
      }
      case SLIP -> {
        metrics.answered(metrics.answers(query.qtype(), Rcode.NOERROR), true, start);
        transport.send(
            ctx, client, AnswerReplay.slip(ctx.alloc(), query, wire, transport.headroom()));
      }
      case DROP -> {}
    }
    transport.flush(ctx);
  }

  /**
   * The handler's own wire answer, admitted like a replayed one: charged to the client's rate
   * account per answer, so a rate limiter keeps the handler's fast path (the GSLB's); a slip is the
   * bytes the full path would send.
   */
  private void fromWire(
      ChannelHandlerContext ctx,
      ByteBuf wire,
      InetSocketAddress client,
      Wire transport,
      ByteBuf own,
      long start) {
    Admission admission;
    try {
      admission = handler.admit(client, transport.transport());
    } catch (RuntimeException e) {
      own.release();
      throw e;
    }
    switch (admission) {
      case SEND -> {
        metrics.answeredFromWire(own, transport.headroom(), start);
        transport.send(ctx, client, own);
      }
      case SLIP -> {
        own.release();
        ByteBuf slip = AnswerReplay.slipFromWire(ctx.alloc(), wire, transport.headroom());
        metrics.answeredFromWire(slip, transport.headroom(), start);
        transport.send(ctx, client, slip);
      }
      case DROP -> own.release();
    }
    transport.flush(ctx);
  }

  /** Just the header and question with TC set: small, so useless for amplification. */
  private static Message slip(Message query) {
    Message response = Reply.to(query);
    response.getHeader().setFlag(Flags.TC);
    return response;
  }

  private CompletionStage<Iterator<Message>> handled(
      Message query, InetSocketAddress client, Transport transport) {
    if (transport == Transport.TCP) {
      return WireFormat.guarded(() -> handler.streamOverTcp(query, client));
    }
    return WireFormat.guarded(() -> handler.handle(query, client, transport))
        .thenApply(
            response ->
                response == null ? Collections.emptyIterator() : List.of(response).iterator());
  }

  /**
   * An answer of several messages (a zone transfer), the first one made already: counted as one
   * answer, each message encoded with our cookie as it is sent ({@link StreamedAnswer}).
   */
  private void stream(
      ChannelHandlerContext ctx,
      InetSocketAddress client,
      Wire transport,
      Message query,
      Message first,
      Iterator<Message> rest,
      long start) {
    int limit = WireFormat.sizeLimit(query, transport.transport(), maxUdpPayload);
    byte[] clientCookie = ServerCookies.clientCookie(query.getOPT());
    metrics.answered(first, false, start);
    Iterator<Message> all =
        new Iterator<>() {
          private boolean firstTaken;

          @Override
          public boolean hasNext() {
            return !firstTaken || rest.hasNext();
          }

          @Override
          public Message next() {
            if (!firstTaken) {
              firstTaken = true;
              return first;
            }
            return rest.next();
          }
        };
    new StreamedAnswer(
            ctx,
            transport,
            client,
            all,
            message -> WireFormat.encode(withCookie(message, clientCookie, client), limit),
            () -> transport.flush(ctx))
        .resume();
  }

  private void send(
      ChannelHandlerContext ctx,
      InetSocketAddress client,
      Wire transport,
      Message query,
      List<Message> responses,
      long start,
      PreparedAnswers prepared,
      PlainQuery plain) {
    if (responses.isEmpty()) {
      transport.flush(ctx); // the handler chose silence (rate limiting): the query is done
      return;
    }
    int limit = WireFormat.sizeLimit(query, transport.transport(), maxUdpPayload);
    byte[] clientCookie = ServerCookies.clientCookie(query.getOPT());
    boolean keepaliveAsked =
        transport.transport() == Transport.TCP && asksForKeepalive(query.getOPT());
    byte[][] encoded = new byte[responses.size()][];
    if (prepared != null && encoded.length == 1) {
      // Kept without a cookie: the replay adds each asker's own.
      byte[] bare = WireFormat.encode(responses.get(0), limit);
      replay.keep(prepared, plain, responses.get(0), bare);
      encoded[0] = clientCookie == null && !keepaliveAsked ? bare : null;
    }
    boolean truncated = false;
    for (int i = 0; i < encoded.length; i++) {
      if (encoded[i] == null) {
        Message response = withCookie(responses.get(i), clientCookie, client);
        encoded[i] = WireFormat.encode(keepaliveAsked ? withKeepalive(response) : response, limit);
      }
      truncated |= WireFormat.truncated(encoded[i]);
    }
    metrics.answered(responses.get(0), truncated, start);
    for (byte[] out : encoded) {
      transport.send(ctx, client, framed(out, transport.headroom()));
    }
    transport.flush(ctx);
  }

  /** RFC 7873 5.2: every answer with an OPT to a query with a client cookie carries ours. */
  private Message withCookie(Message response, byte[] clientCookie, InetSocketAddress client) {
    OPTRecord opt = response.getOPT();
    if (clientCookie == null || opt == null) {
      return response;
    }
    response.removeRecord(opt, Section.ADDITIONAL);
    response.addRecord(
        cookies.withCookie(opt, clientCookie, client.getAddress()), Section.ADDITIONAL);
    return response;
  }

  /**
   * RFC 7828 3.3.2: a client that sends an empty edns-tcp-keepalive over TCP may be told how long
   * we keep its idle connection (BIND tells, NSD does not); over UDP the option is ignored.
   */
  private static boolean asksForKeepalive(OPTRecord opt) {
    return opt != null && !opt.getOptions(EDNSOption.Code.TCP_KEEPALIVE).isEmpty();
  }

  private Message withKeepalive(Message response) {
    OPTRecord opt = response.getOPT();
    if (opt == null) {
      return response;
    }
    List<EDNSOption> options = new ArrayList<>(opt.getOptions());
    options.add(keepalive);
    response.removeRecord(opt, Section.ADDITIONAL);
    response.addRecord(
        new OPTRecord(
            opt.getPayloadSize(),
            opt.getExtendedRcode(),
            opt.getVersion(),
            opt.getFlags(),
            options),
        Section.ADDITIONAL);
    return response;
  }

  static ByteBuf framed(byte[] out, int headroom) {
    if (headroom == 0) {
      return Unpooled.wrappedBuffer(out);
    }
    ByteBuf buffer = Unpooled.buffer(headroom + out.length);
    return buffer.writerIndex(headroom).writeBytes(out);
  }
}
