package io.shopstack.dns.resolver.serving;

import io.netty.buffer.ByteBuf;
import io.shopstack.dns.resolver.cache.CacheKey;
import io.shopstack.dns.server.Transport;

/**
 * A client's query read straight off the wire for the cache-hit replay, without dnsjava: opcode
 * QUERY, one class-IN question with an uncompressed name, nothing in the answer and authority
 * sections, and at most an EDNS version 0 OPT without options (an ECS option changes the answer, a
 * cookie needs the transport's server cookie). Anything else is not read ({@link #read} says false)
 * and the full path answers it, FORMERR for garbage included.
 *
 * <p>One instance per event loop thread, read into again for each query: the replay allocates
 * nothing but the answer's buffer.
 */
final class WireQuery {
  private static final int HEADER_BYTES = 12;
  private static final int CLASS_IN = 1;
  private static final int TYPE_OPT = 41;
  private static final int TYPE_IXFR = 251;
  private static final int TYPE_AXFR = 252;
  private static final int CLASSIC_UDP_LIMIT = 512;

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
    int start = wire.readerIndex();
    int end = wire.writerIndex();
    if (end - start < HEADER_BYTES + 5) {
      return false;
    }
    int flags = wire.getUnsignedByte(start + 2);
    if ((flags & 0xf8) != 0 // QR set, or an opcode other than QUERY
        || wire.getUnsignedShort(start + 4) != 1
        || wire.getUnsignedShort(start + 6) != 0
        || wire.getUnsignedShort(start + 8) != 0) {
      return false;
    }
    int additional = wire.getUnsignedShort(start + 10);
    if (additional > 1) {
      return false;
    }
    int p = start + HEADER_BYTES;
    while (true) {
      if (p >= end) {
        return false;
      }
      int label = wire.getUnsignedByte(p);
      if (label > 63) {
        return false; // a compression pointer or a reserved label type: the full parser judges
      }
      p += 1 + label;
      if (p - start - HEADER_BYTES > 255) {
        return false; // RFC 1035 3.1: too long
      }
      if (label == 0) {
        break;
      }
    }
    int length = p - start - HEADER_BYTES;
    if (p + 4 > end) {
      return false;
    }
    int qtype = wire.getUnsignedShort(p);
    if (wire.getUnsignedShort(p + 2) != CLASS_IN || qtype == TYPE_AXFR || qtype == TYPE_IXFR) {
      return false; // zone transfers are refused by the full path; other classes are rare
    }
    p += 4;
    boolean opt = additional == 1;
    boolean signatures = false;
    int max = transport == Transport.TCP ? 65535 : CLASSIC_UDP_LIMIT;
    if (opt) {
      // RFC 6891 6.1.2: owner root, TYPE 41, CLASS = payload size, TTL = ext-rcode, version, flags.
      if (p + 11 != end
          || wire.getUnsignedByte(p) != 0
          || wire.getUnsignedShort(p + 1) != TYPE_OPT
          || wire.getUnsignedShort(p + 5) != 0 // extended rcode and version 0 (else BADVERS)
          || wire.getUnsignedShort(p + 9) != 0) { // no options
        return false;
      }
      signatures = (wire.getUnsignedShort(p + 7) & 0x8000) != 0;
      if (transport == Transport.UDP) {
        max = Math.max(CLASSIC_UDP_LIMIT, Math.min(wire.getUnsignedShort(p + 3), maxUdpPayload));
      }
    } else if (p != end) {
      return false; // trailing bytes: the full parser judges
    }
    key.readQuestion(wire, start + HEADER_BYTES, length, qtype, CLASS_IN);
    id = wire.getUnsignedShort(start);
    recursionDesired = (flags & 0x01) != 0;
    checkingDisabled = (wire.getUnsignedByte(start + 3) & 0x10) != 0;
    edns = opt;
    dnssecOk = signatures;
    nameAt = start + HEADER_BYTES;
    nameLength = length;
    limit = max;
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
