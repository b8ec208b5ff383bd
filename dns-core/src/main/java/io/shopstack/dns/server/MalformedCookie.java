package io.shopstack.dns.server;

import org.xbill.DNS.Message;

/**
 * A query whose only fault is a COOKIE option of impossible length (RFC 7873 5.2.2: a client cookie
 * is 8 bytes, a server cookie 8 to 32 more). dnsjava refuses the whole message then, which would
 * earn a bare FORMERR header; BIND answers FORMERR with the question and its OPT, and a resolver
 * that gets a FORMERR without an OPT concludes the server does not speak EDNS at all (dig says
 * "retry with +noedns"). So the query is read again without that option, to be answered properly.
 */
final class MalformedCookie {
  private static final int TYPE_OPT = 41;
  private static final int OPTION_COOKIE = 10;

  private MalformedCookie() {}

  /** The query read without its malformed COOKIE option, or null when that does not help. */
  static Message queryWithout(byte[] wire) {
    byte[] without = removedFrom(wire);
    return without == null ? null : WireFormat.parse(without).query();
  }

  /**
   * The query without its malformed COOKIE option, or null when it has none: one question with an
   * uncompressed name, no answer or authority records, and an OPT as its one additional record.
   */
  private static byte[] removedFrom(byte[] wire) {
    if (wire.length < WireFormat.HEADER_LENGTH
        || count(wire, 4) != 1
        || count(wire, 6) != 0
        || count(wire, 8) != 0
        || count(wire, 10) != 1) {
      return null;
    }
    int p = WireFormat.HEADER_LENGTH;
    while (p < wire.length && wire[p] != 0) {
      int label = wire[p] & 0xff;
      if (label > 63) {
        return null;
      }
      p += 1 + label;
    }
    p += 1 + 4; // the root label, type and class
    if (p + 11 > wire.length || wire[p] != 0 || count(wire, p + 1) != TYPE_OPT) {
      return null;
    }
    int rdlengthAt = p + 9;
    int options = p + 11;
    int end = options + count(wire, rdlengthAt);
    if (end != wire.length) {
      return null;
    }
    for (int o = options; o + 4 <= end; o += 4 + count(wire, o + 2)) {
      int length = count(wire, o + 2);
      if (count(wire, o) == OPTION_COOKIE && !(length == 8 || (length >= 16 && length <= 40))) {
        int optionEnd = Math.min(end, o + 4 + length);
        byte[] without = new byte[wire.length - (optionEnd - o)];
        System.arraycopy(wire, 0, without, 0, o);
        System.arraycopy(wire, optionEnd, without, o, wire.length - optionEnd);
        int rdlength = count(wire, rdlengthAt) - (optionEnd - o);
        without[rdlengthAt] = (byte) (rdlength >>> 8);
        without[rdlengthAt + 1] = (byte) rdlength;
        return without;
      }
    }
    return null;
  }

  private static int count(byte[] wire, int at) {
    return at + 1 < wire.length ? (wire[at] & 0xff) << 8 | (wire[at + 1] & 0xff) : -1;
  }
}
