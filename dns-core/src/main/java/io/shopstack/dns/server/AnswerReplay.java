package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
      prepared = new PreparedAnswers(snapshot);
      current = prepared;
    }
    return prepared;
  }

  /**
   * The prepared answer patched for {@code query} (read from {@code wire}) in a new buffer, after
   * {@code headroom} bytes left for the transport's framing; the caller owns the buffer.
   */
  static ByteBuf write(
      ByteBufAllocator alloc,
      PreparedAnswers.Answer answer,
      PlainQuery query,
      ByteBuf wire,
      int headroom) {
    byte[] prepared = answer.wire();
    ByteBuf out = alloc.ioBuffer(headroom + prepared.length);
    out.writerIndex(headroom);
    int base = headroom;
    out.writeBytes(prepared);
    out.setShort(base, query.id);
    out.setByte(base + 2, (prepared[2] & 0xfe) | (query.recursionDesired ? 1 : 0));
    out.setBytes(
        base + WireFormat.HEADER_LENGTH,
        wire,
        wire.readerIndex() + WireFormat.HEADER_LENGTH,
        query.nameLength);
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
            out, metrics.answers(response.getQuestion().getType(), rcode), (out[2] & 0x02) != 0));
  }
}
