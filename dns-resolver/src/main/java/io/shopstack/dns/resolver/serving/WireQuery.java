package io.shopstack.dns.resolver.serving;

import io.netty.buffer.ByteBuf;
import io.shopstack.dns.resolver.cache.CacheKey;
import io.shopstack.dns.server.Transport;
import io.shopstack.dns.server.WireQuestion;

/**
 * A client's query read straight off the wire for the cache-hit replay, without dnsjava: opcode
 * QUERY, one class-IN question with an uncompressed name, nothing in the answer and authority
 * sections, and at most an EDNS version 0 OPT without options (an ECS option changes the answer, a
 * cookie needs the transport's server cookie). Anything else is not read ({@link #read} says false)
 * and the full path answers it, FORMERR for garbage included. The wire is read by dns-core's {@link
 * WireQuestion}; the rules here are the replay's own (no options, extended rcode 0) and its key.
 *
 * <p>One instance per event loop thread, read into again for each query: the replay allocates
 * nothing but the answer's buffer.
 */
final class WireQuery {
  /** The header, question and OPT read off the wire, again for each query. */
  private final WireQuestion question = new WireQuestion();

  /** The question, folded to lower case, as the cache keys everyone's answers. */
  final CacheKey key = CacheKey.scratch();

  int id;
  boolean recursionDesired;
  boolean checkingDisabled;
  boolean edns;
  boolean dnssecOk;

  /** Where the question name starts in the wire buffer, and its bytes (root label included). */
  int nameAt;

  int nameLength;

  /** The largest answer the query may be sent. */
  int limit;

  /**
   * Reads the readable bytes of {@code wire} without moving its indexes; false when the query is
   * not one the replay answers. {@code maxUdpPayload} caps an EDNS client's offered size, as the
   * transport does.
   */
  boolean read(ByteBuf wire, Transport transport, int maxUdpPayload) {
    WireQuestion question = this.question;
    if (!question.readInto(wire)
        || !question.noOptions() // no options at all
        || question.extendedRcode() != 0) {
      return false;
    }
    key.readQuestion(wire, question);
    id = question.id();
    recursionDesired = question.recursionDesired();
    checkingDisabled = question.checkingDisabled();
    edns = question.hasOpt();
    dnssecOk = question.dnssecOk();
    nameAt = question.nameAt();
    nameLength = question.nameLength();
    limit = question.limit(transport, maxUdpPayload);
    return true;
  }

  /** Which of a cache entry's kept encodings answers this query ({@code WireForms} shapes). */
  int shape() {
    return RecursiveQueryHandler.shape(recursionDesired, edns, checkingDisabled, dnssecOk);
  }

  /**
   * The first two flag bytes the full path gives the answer to this query, rcode aside: QR, RD
   * echoed, RA, CD echoed; never AA, TC, AD or Z.
   */
  boolean headerFits(byte[] answer) {
    return answer[2] == (byte) (0x80 | (recursionDesired ? 0x01 : 0))
        && (answer[3] & 0xf0) == (0x80 | (checkingDisabled ? 0x10 : 0));
  }
}
