package io.shopstack.dns.cdn.gslb;

import io.netty.buffer.ByteBuf;

/**
 * An A query for a GSLB name as resolvers send it, read straight off the wire: opcode QUERY, one
 * class-IN question with an uncompressed name, nothing in the answer or authority sections, and at
 * most an EDNS version 0 OPT that is empty or holds exactly one IPv4 Client Subnet option in its
 * canonical form (SOURCE 1 to 32, SCOPE 0, just enough address bytes, the bits past SOURCE zero).
 * Anything else ({@link #read} returns false) goes the full path, which also answers malformed
 * options with FORMERR (RFC 7871 7.1.2) and adds cookies.
 *
 * <p>One instance is read into again and again by one thread (the fast path keeps one per event
 * loop): it holds offsets into the query and numbers, so reading a query makes no garbage.
 */
final class GslbQuery {
  static final int HEADER = 12;
  private static final int TYPE_A = 1;
  private static final int TYPE_OPT = 41;
  private static final int OPTION_CLIENT_SUBNET = 8;
  private static final int FAMILY_IPV4 = 1;

  /** Bytes of the question name, its root label included. */
  int nameLength;

  /** Where the question name starts in the wire bytes last read. */
  int nameAt;

  boolean edns;
  boolean dnssecOk;

  /** The Client Subnet's SOURCE PREFIX-LENGTH, 0 when the query carries none. */
  int sourcePrefix;

  /** The Client Subnet's address bytes as sent (SOURCE bits, rounded up), 0 without one. */
  int subnetBytes;

  /** Where those address bytes are in the wire bytes last read. */
  int subnetAt;

  /** The client subnet's address as an int, first byte highest (0 without a Client Subnet). */
  int subnetBits;

  boolean hasSubnet() {
    return subnetBytes > 0;
  }

  /**
   * Reads {@code wire}'s readable bytes into this without moving its indexes; false: not such a
   * query (and the fields are then of no use).
   */
  boolean read(ByteBuf wire) {
    int start = wire.readerIndex();
    int end = wire.writerIndex();
    if (end - start < HEADER + 5
        || (wire.getUnsignedByte(start + 2) & 0xf8) != 0 // QR set, or not opcode QUERY
        || wire.getUnsignedShort(start + 4) != 1
        || wire.getUnsignedShort(start + 6) != 0
        || wire.getUnsignedShort(start + 8) != 0
        || wire.getUnsignedShort(start + 10) > 1) {
      return false;
    }
    int nameAt = start + HEADER;
    int p = nameAt;
    while (true) {
      if (p >= end) {
        return false;
      }
      int label = wire.getUnsignedByte(p);
      if (label > 63) {
        return false; // compressed or reserved: the full parser judges
      }
      p += 1 + label;
      if (p - nameAt > 255) {
        return false;
      }
      if (label == 0) {
        break;
      }
    }
    int nameLength = p - nameAt;
    if (p + 4 > end || wire.getUnsignedShort(p) != TYPE_A || wire.getUnsignedShort(p + 2) != 1) {
      return false;
    }
    p += 4;
    boolean edns = wire.getUnsignedShort(start + 10) == 1;
    boolean dnssecOk = false;
    int sourcePrefix = 0;
    int bytes = 0;
    int bits = 0;
    if (edns) {
      // Owner root, TYPE 41, CLASS = payload size, TTL = extended rcode, version, flags.
      if (p + 11 > end
          || wire.getUnsignedByte(p) != 0
          || wire.getUnsignedShort(p + 1) != TYPE_OPT
          || wire.getUnsignedByte(p + 5) != 0
          || wire.getUnsignedByte(p + 6) != 0) {
        return false;
      }
      dnssecOk = (wire.getUnsignedShort(p + 7) & 0x8000) != 0;
      int rdataEnd = p + 11 + wire.getUnsignedShort(p + 9);
      if (rdataEnd != end) {
        return false;
      }
      if (rdataEnd > p + 11) {
        int o = p + 11;
        if (o + 8 > end
            || wire.getUnsignedShort(o) != OPTION_CLIENT_SUBNET
            || wire.getUnsignedShort(o + 4) != FAMILY_IPV4) {
          return false;
        }
        int length = wire.getUnsignedShort(o + 2);
        sourcePrefix = wire.getUnsignedByte(o + 6);
        int scope = wire.getUnsignedByte(o + 7);
        bytes = (sourcePrefix + 7) / 8;
        if (sourcePrefix < 1 || sourcePrefix > 32 || scope != 0 || length != 4 + bytes) {
          return false;
        }
        if (o + 4 + length != end) {
          return false; // another option after it (a cookie): the full path
        }
        for (int i = 0; i < bytes; i++) {
          bits |= wire.getUnsignedByte(o + 8 + i) << (24 - 8 * i);
        }
        if (sourcePrefix < 32 && bits << sourcePrefix != 0) {
          return false; // bits past SOURCE must be zero (RFC 7871 6)
        }
      }
      p = rdataEnd;
    }
    if (p != end) {
      return false;
    }
    this.nameLength = nameLength;
    this.nameAt = nameAt;
    this.edns = edns;
    this.dnssecOk = dnssecOk;
    this.sourcePrefix = sourcePrefix;
    this.subnetBytes = bytes;
    this.subnetAt = end - bytes; // the option, and the query, end with them
    this.subnetBits = bits;
    return true;
  }

  /** True when the name last read is {@code lowerWire} (a name's wire form in lower case). */
  boolean names(ByteBuf wire, byte[] lowerWire) {
    if (lowerWire.length != nameLength) {
      return false;
    }
    for (int i = 0; i < nameLength; i++) {
      byte b = wire.getByte(nameAt + i);
      if ((b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b) != lowerWire[i]) {
        return false;
      }
    }
    return true;
  }
}
