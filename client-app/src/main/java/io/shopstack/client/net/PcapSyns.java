package io.shopstack.client.net;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the TCP SYNs out of a libpcap savefile of Ethernet frames, the format tcpdump {@code -w}
 * writes: a 24-byte file header, then per packet a 16-byte record header and the captured bytes.
 * Only what the journey shows is decoded (MACs, IPv4 TTL and addresses, TCP ports and flags). A
 * file that tcpdump is still writing may end in half a record; that record is not there yet.
 */
final class PcapSyns {
  private static final int MAGIC_MICROS = 0xa1b2c3d4;
  private static final int MAGIC_NANOS = 0xa1b23c4d;
  private static final int LINKTYPE_ETHERNET = 1;
  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int PROTOCOL_TCP = 6;
  private static final int TCP_SYN = 0x02;
  private static final int TCP_ACK = 0x10;

  private PcapSyns() {}

  /** Every SYN without ACK in {@code file}; empty when it is no Ethernet pcap file. */
  static List<CapturedSyn> read(byte[] file) {
    ByteBuffer in = ByteBuffer.wrap(file);
    List<CapturedSyn> syns = new ArrayList<>();
    if (in.remaining() < 24) {
      return syns;
    }
    int magic = in.order(ByteOrder.BIG_ENDIAN).getInt(0);
    if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
      in.order(ByteOrder.LITTLE_ENDIAN); // written on a little-endian host, as on x86
      magic = in.getInt(0);
      if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
        return syns;
      }
    }
    if (in.getInt(20) != LINKTYPE_ETHERNET) {
      return syns;
    }
    in.position(24);
    try {
      while (in.remaining() >= 16) {
        in.position(in.position() + 8); // timestamp
        int captured = in.getInt();
        in.getInt(); // original length
        if (captured < 0 || captured > in.remaining()) {
          break; // the record tcpdump is writing right now
        }
        ByteBuffer frame = in.slice(in.position(), captured).order(ByteOrder.BIG_ENDIAN);
        in.position(in.position() + captured);
        CapturedSyn syn = syn(frame);
        if (syn != null) {
          syns.add(syn);
        }
      }
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      // a truncated record at the end: everything before it was read
    }
    return syns;
  }

  private static CapturedSyn syn(ByteBuffer frame) {
    if (frame.limit() < 14 + 20 || (frame.getShort(12) & 0xffff) != ETHERTYPE_IPV4) {
      return null;
    }
    int ip = 14;
    int headerLength = (frame.get(ip) & 0x0f) * 4;
    int tcp = ip + headerLength;
    if (frame.get(ip + 9) != PROTOCOL_TCP || frame.limit() < tcp + 14) {
      return null;
    }
    int flags = frame.get(tcp + 13) & 0xff;
    if ((flags & (TCP_SYN | TCP_ACK)) != TCP_SYN) {
      return null;
    }
    return new CapturedSyn(
        mac(frame, 6),
        mac(frame, 0),
        frame.get(ip + 8) & 0xff,
        ipv4(frame, ip + 12),
        frame.getShort(tcp) & 0xffff,
        ipv4(frame, ip + 16),
        frame.getShort(tcp + 2) & 0xffff);
  }

  private static String mac(ByteBuffer frame, int at) {
    StringBuilder mac = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        mac.append(':');
      }
      mac.append(String.format("%02x", frame.get(at + i) & 0xff));
    }
    return mac.toString();
  }

  private static String ipv4(ByteBuffer frame, int at) {
    return (frame.get(at) & 0xff)
        + "."
        + (frame.get(at + 1) & 0xff)
        + "."
        + (frame.get(at + 2) & 0xff)
        + "."
        + (frame.get(at + 3) & 0xff);
  }
}
