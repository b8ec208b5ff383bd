package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;

/**
 * An ordinary query's header, question and OPT read off the wire without dnsjava: opcode QUERY, one
 * class-IN question with an uncompressed name of at most 255 bytes that is not a zone transfer, no
 * answer or authority records, and at most one EDNS version 0 OPT that ends the message. What the
 * OPT's options may be, and whatever else a reader accepts, is that reader's own rule; anything
 * else is not an ordinary query ({@link #readInto} says false) and belongs to the full parser,
 * which also answers garbage with FORMERR.
 *
 * <p>Read into a scratch instance again and again (one per event loop thread): reading allocates
 * nothing and looks at each byte once. The instance keeps positions in the buffer it last read, not
 * the buffer, so {@link #copyFoldedName} takes that buffer again.
 */
public final class WireQuestion {
  private static final int QUESTION_OFFSET = WireFormat.HEADER_LENGTH;
  private static final int CLASS_IN = 1;
  private static final int TYPE_OPT = 41;
  private static final int TYPE_IXFR = 251;
  private static final int TYPE_AXFR = 252;

  private int id;
  private boolean recursionDesired;
  private boolean checkingDisabled;
  private int nameAt;
  private int nameLength;
  private int qtype;
  private int qclass;
  private boolean opt;
  private int payloadSize;
  private int extendedRcode;
  private int version;
  private boolean dnssecOk;
  private int optionsAt;
  private int optionsEnd;

  /**
   * Reads the readable bytes of {@code wire} without moving its indexes; false when the message is
   * not an ordinary query (including every malformed one), in which case this instance holds
   * nothing meaningful.
   */
  public boolean readInto(ByteBuf wire) {
    int start = wire.readerIndex();
    int end = wire.writerIndex();
    if (end - start < QUESTION_OFFSET + 5) {
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
    int p = start + QUESTION_OFFSET;
    while (true) {
      if (p >= end) {
        return false;
      }
      int label = wire.getUnsignedByte(p);
      if (label > 63) {
        return false; // a compression pointer or a reserved label type: the full parser judges
      }
      p += 1 + label;
      if (p - start - QUESTION_OFFSET > 255) {
        return false; // RFC 1035 3.1: too long
      }
      if (label == 0) {
        break;
      }
    }
    int nameLength = p - start - QUESTION_OFFSET;
    if (p + 4 > end) {
      return false;
    }
    int qtype = wire.getUnsignedShort(p);
    int qclass = wire.getUnsignedShort(p + 2);
    if (qclass != CLASS_IN || qtype == TYPE_AXFR || qtype == TYPE_IXFR) {
      return false; // other classes and zone transfers are the full path's business
    }
    p += 4;
    boolean opt = additional == 1;
    if (opt) {
      // RFC 6891 6.1.2: owner root, TYPE 41, CLASS = payload size, TTL = ext-rcode, version, flags.
      if (p + 11 > end
          || wire.getUnsignedByte(p) != 0
          || wire.getUnsignedShort(p + 1) != TYPE_OPT
          || wire.getUnsignedByte(p + 6) != 0) {
        return false; // not an OPT, or an EDNS version that earns BADVERS
      }
      int rdataEnd = p + 11 + wire.getUnsignedShort(p + 9);
      if (rdataEnd != end) {
        return false; // cut short, or trailing bytes: the full parser judges
      }
      this.payloadSize = wire.getUnsignedShort(p + 3);
      this.extendedRcode = wire.getUnsignedByte(p + 5);
      this.version = 0;
      this.dnssecOk = (wire.getUnsignedShort(p + 7) & 0x8000) != 0;
      this.optionsAt = p + 11;
      this.optionsEnd = rdataEnd;
    } else {
      if (p != end) {
        return false; // trailing bytes: the full parser judges
      }
      this.payloadSize = 0;
      this.extendedRcode = 0;
      this.version = 0;
      this.dnssecOk = false;
      this.optionsAt = end;
      this.optionsEnd = end;
    }
    this.id = wire.getUnsignedShort(start);
    this.recursionDesired = (flags & 0x01) != 0;
    this.checkingDisabled = (wire.getUnsignedByte(start + 3) & 0x10) != 0;
    this.nameAt = start + QUESTION_OFFSET;
    this.nameLength = nameLength;
    this.qtype = qtype;
    this.qclass = qclass;
    this.opt = opt;
    return true;
  }

  /** The message ID. */
  public int id() {
    return id;
  }

  /** The RD bit. */
  public boolean recursionDesired() {
    return recursionDesired;
  }

  /** The CD bit. */
  public boolean checkingDisabled() {
    return checkingDisabled;
  }

  /** Where the question name starts in the buffer read. */
  public int nameAt() {
    return nameAt;
  }

  /** Bytes of the question name on the wire, the terminating root label included. */
  public int nameLength() {
    return nameLength;
  }

  /** The question's type. */
  public int qtype() {
    return qtype;
  }

  /** The question's class (always IN in an ordinary query). */
  public int qclass() {
    return qclass;
  }

  /** Whether the query carries an OPT record (EDNS). */
  public boolean hasOpt() {
    return opt;
  }

  /** The OPT's requestor's UDP payload size, 0 without an OPT. */
  public int payloadSize() {
    return payloadSize;
  }

  /** The OPT's upper eight bits of the extended rcode, 0 without an OPT. */
  public int extendedRcode() {
    return extendedRcode;
  }

  /** The OPT's EDNS version: always 0 in an ordinary query (other versions earn BADVERS). */
  public int version() {
    return version;
  }

  /** The OPT's DO bit, false without an OPT. */
  public boolean dnssecOk() {
    return dnssecOk;
  }

  /** Where the OPT's options start in the buffer read (the message's end without an OPT). */
  public int optionsAt() {
    return optionsAt;
  }

  /** Where the OPT's options end in the buffer read: the end of the message. */
  public int optionsEnd() {
    return optionsEnd;
  }

  /** Whether the query carries no EDNS options (true without an OPT). */
  public boolean noOptions() {
    return optionsAt == optionsEnd;
  }

  /**
   * The biggest answer this query may receive over {@code transport}: 65535 over TCP; over UDP the
   * OPT's payload size capped at {@code maxUdpPayload} (but never under 512), or 512 without EDNS.
   */
  public int limit(Transport transport, int maxUdpPayload) {
    if (transport != Transport.UDP) {
      return 65535;
    }
    return opt
        ? Math.max(WireFormat.CLASSIC_UDP_LIMIT, Math.min(payloadSize, maxUdpPayload))
        : WireFormat.CLASSIC_UDP_LIMIT;
  }

  /**
   * Copies the question name from {@code wire} (the buffer read) into the start of {@code into},
   * folded to lower case: DNS names compare ASCII case-insensitively (RFC 4343); length bytes are
   * at most 63 and stay untouched.
   */
  public void copyFoldedName(ByteBuf wire, byte[] into) {
    for (int i = 0; i < nameLength; i++) {
      byte b = wire.getByte(nameAt + i);
      into[i] = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }
  }
}
