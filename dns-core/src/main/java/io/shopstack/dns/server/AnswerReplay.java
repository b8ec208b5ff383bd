package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shopstack.dns.edns.ServerCookies;
import java.net.InetSocketAddress;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The transport's fast path: a plain query whose answer was prepared before gets those bytes with
 * its own ID, RD bit and question name (letter for letter, for 0x20 checks) written over them. The
 * name has the same length whatever its case, so every compression pointer stays valid. The first
 * query of each kind is answered by the handler as usual and its encoded answer kept; nothing is
 * parsed into a {@link Message} or encoded again after that.
 *
 * <p>Only handlers that say their answers depend on nothing but a snapshot of their data ({@link
 * QueryHandler#answerSnapshot()}) get a fast path; one set of prepared answers belongs to one
 * snapshot and is dropped with it.
 */
final class AnswerReplay {
  private static final int OPTION_COOKIE = 10;

  private final QueryHandler handler;
  private final DnsServerMetrics metrics;
  private volatile PreparedAnswers current;

  AnswerReplay(QueryHandler handler, DnsServerMetrics metrics) {
    this.handler = handler;
    this.metrics = metrics;
  }

  /**
   * The prepared answers for the data the handler answers from now, or null when it has no stable
   * answers. Read once per query, before the handler runs: an answer computed after a reload then
   * lands in the set that was already replaced, never in the new one.
   */
  PreparedAnswers current() {
    Object snapshot = handler.answerSnapshot();
    if (snapshot == null) {
      return null;
    }
    PreparedAnswers prepared = current;
    if (prepared == null || prepared.snapshot() != snapshot) {
      PreparedAnswers next = new PreparedAnswers(snapshot);
      if (prepared != null) {
        UnchangedAnswers unchanged = handler.unchangedAnswers(prepared.snapshot(), snapshot);
        if (unchanged != null) {
          next.inherit(prepared, unchanged);
        }
      }
      prepared = next;
      current = prepared;
    }
    return prepared;
  }

  /**
   * True when {@code answer} can be replayed to {@code query}: always, unless the query offers a
   * cookie and ours cannot be appended (no bare OPT at the end, or no room left within the limit).
   */
  static boolean fits(byte[] answer, PlainQuery query) {
    return query.clientCookieAt < 0
        || (KeptAnswer.endsWithBareOpt(answer)
            && KeptAnswer.wireLength(answer) + ServerCookies.OPTION_BYTES <= query.limit);
  }

  /** Bytes {@link #write} writes: the headroom, the prepared answer, and our cookie if asked. */
  static int bytes(byte[] answer, PlainQuery query, int headroom) {
    return headroom
        + KeptAnswer.wireLength(answer)
        + (query.clientCookieAt >= 0 ? ServerCookies.OPTION_BYTES : 0);
  }

  /**
   * The prepared answer ({@link KeptAnswer}) patched for {@code query} (read from {@code wire})
   * into {@code out}, a buffer of {@link #bytes} capacity, after {@code headroom} bytes left for
   * the transport's framing, with our cookie when the query offers one.
   */
  static ByteBuf write(
      ByteBuf out,
      byte[] prepared,
      PlainQuery query,
      ByteBuf wire,
      int headroom,
      ServerCookies cookies,
      InetSocketAddress client) {
    int from = KeptAnswer.wireAt(prepared);
    int length = prepared.length - from;
    boolean cookie = query.clientCookieAt >= 0;
    out.writerIndex(headroom);
    int base = headroom;
    out.writeBytes(prepared, from, length);
    out.setShort(base, query.id);
    out.setByte(base + 2, (prepared[from + 2] & 0xfe) | (query.recursionDesired ? 1 : 0));
    out.setBytes(
        base + WireFormat.HEADER_LENGTH,
        wire,
        wire.readerIndex() + WireFormat.HEADER_LENGTH,
        query.nameLength);
    if (cookie) {
      // The OPT is the last record: its RDLENGTH is the answer's last two bytes.
      out.setShort(base + length - 2, ServerCookies.OPTION_BYTES);
      byte[] clientCookie = new byte[ServerCookies.CLIENT_COOKIE_BYTES];
      wire.getBytes(query.clientCookieAt, clientCookie);
      out.writeShort(OPTION_COOKIE)
          .writeShort(ServerCookies.CLIENT_COOKIE_BYTES + ServerCookies.SERVER_COOKIE_BYTES)
          .writeBytes(clientCookie)
          .writeBytes(cookies.serverCookie(clientCookie, client.getAddress()));
    }
    return out;
  }

  /**
   * What the full path answers a query a rate limiter slips ({@code Reply.to} with TC): the query's
   * ID, opcode QUERY, QR, TC and its RD bit, then its question as it came, and no other record.
   */
  static ByteBuf slip(ByteBufAllocator alloc, PlainQuery query, ByteBuf wire, int headroom) {
    int question = query.nameLength + 4;
    ByteBuf out = alloc.ioBuffer(headroom + WireFormat.HEADER_LENGTH + question);
    out.writerIndex(headroom);
    out.writeShort(query.id)
        .writeByte(0x80 | 0x02 | (query.recursionDesired ? 1 : 0))
        .writeByte(0)
        .writeShort(1)
        .writeShort(0)
        .writeShort(0)
        .writeShort(0)
        .writeBytes(wire, wire.readerIndex() + WireFormat.HEADER_LENGTH, question);
    return out;
  }

  /**
   * {@link #slip} for a query a handler answered from its wire bytes ({@link
   * QueryHandler#answerFromWire}), which it does only for a QUERY with one uncompressed question:
   * the name's length is read from its labels.
   */
  static ByteBuf slipFromWire(ByteBufAllocator alloc, ByteBuf wire, int headroom) {
    int start = wire.readerIndex();
    int p = start + WireFormat.HEADER_LENGTH;
    for (int label = wire.getUnsignedByte(p); label != 0; label = wire.getUnsignedByte(p)) {
      p += 1 + label;
    }
    int question = p + 1 + 4 - start - WireFormat.HEADER_LENGTH;
    ByteBuf out = alloc.ioBuffer(headroom + WireFormat.HEADER_LENGTH + question);
    out.writerIndex(headroom);
    out.writeShort(wire.getUnsignedShort(start))
        .writeByte(0x80 | 0x02 | (wire.getByte(start + 2) & 0x01))
        .writeByte(0)
        .writeShort(1)
        .writeShort(0)
        .writeShort(0)
        .writeShort(0)
        .writeBytes(wire, start + WireFormat.HEADER_LENGTH, question);
    return out;
  }

  /** Keeps what the handler answered to a plain query, unless it was a failure or is odd. */
  void keep(PreparedAnswers prepared, PlainQuery query, Message response, byte[] out) {
    int rcode = response.getRcode();
    if (rcode == Rcode.SERVFAIL
        || response.getHeader().getCount(0) != 1
        || !query.key.echoedBy(out, query.nameLength)) {
      return;
    }
    prepared.keep(
        query.key,
        new PreparedAnswers.Answer(
            out,
            metrics.answers(response.getQuestion().getType(), rcode),
            (out[2] & 0x02) != 0,
            response.getOPT() != null && endsWithBareOpt(out)));
  }

  /** Root owner, TYPE 41, then class and TTL, then RDLENGTH 0: the last 11 bytes. */
  private static boolean endsWithBareOpt(byte[] out) {
    int at = out.length - 11;
    return at >= WireFormat.HEADER_LENGTH
        && out[at] == 0
        && out[at + 1] == 0
        && out[at + 2] == 41
        && out[out.length - 2] == 0
        && out[out.length - 1] == 0;
  }
}
