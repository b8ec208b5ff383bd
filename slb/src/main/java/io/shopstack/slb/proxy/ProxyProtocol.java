package io.shopstack.slb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The PROXY protocol header (HAProxy's proxy-protocol.txt) the SLB puts in front of the client's
 * bytes on each backend connection, so that an order service behind an L4 splice still learns who
 * the client is: without it every connection seems to come from the SLB's own address. A pool uses
 * one version, as HAProxy's {@code send-proxy} / {@code send-proxy-v2}; the backend must expect it,
 * since a backend that does not would read the header as the start of the request.
 */
public enum ProxyProtocol {
  /** No header: the backend sees the SLB as the client. */
  NONE,
  /** The human-readable line, {@code PROXY TCP4 src dst sport dport\r\n}. */
  V1,
  /** The binary header: fixed 16 bytes, then the addresses. */
  V2;

  private static final byte[] V2_SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };
  private static final int V2_PROXY_COMMAND = 0x21; // version 2, command PROXY
  private static final int TCP_OVER_IPV4 = 0x11;
  private static final int TCP_OVER_IPV6 = 0x21;
  // TLV types (proxy-protocol.txt, 2.2): PP2_TYPE_CRC32C and PP2_TYPE_UNIQUE_ID.
  private static final int TLV_CRC32C = 0x03;
  private static final int TLV_UNIQUE_ID = 0x05;
  private static final int TLV_HEAD = 3; // type, then the value's length in two bytes
  private static final int UNIQUE_ID_MAX = 128;
  private static final int CRC_BYTES = 4;
  // The fixed part: signature, command, family, then (at 14) the length of what follows.
  private static final int V2_FIXED = 16;
  private static final int V2_LENGTH_AT = 14;

  /** Reads the configuration value: {@code none}, {@code v1} or {@code v2}, any case. */
  public static ProxyProtocol of(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "slb: proxyProtocol must be none, v1 or v2, got '" + value + "'", e);
    }
  }

  /**
   * The header for a client connected from {@code client} to {@code vip}, or null for {@link
   * #NONE}. When one side is IPv4 and the other IPv6 (a dual-stack listener), both are sent as
   * IPv6, the IPv4 one mapped, because a header has one address family. A v2 header carries a
   * CRC32c of the whole header when {@code crc32c}, and {@code uniqueId} (at most 128 bytes) unless
   * null (v1 has no TLVs: both are ignored there).
   */
  ByteBuf header(
      ByteBufAllocator alloc,
      InetSocketAddress client,
      InetSocketAddress vip,
      boolean crc32c,
      byte[] uniqueId) {
    if (this == NONE) {
      return null;
    }
    InetAddress source = client.getAddress();
    InetAddress destination = vip.getAddress();
    boolean ipv4 = source instanceof Inet4Address && destination instanceof Inet4Address;
    if (!ipv4) {
      source = asIpv6(source);
      destination = asIpv6(destination);
    }
    if (this == V1) {
      return v1(alloc, ipv4, source, destination, client.getPort(), vip.getPort());
    }
    if (uniqueId != null && uniqueId.length > UNIQUE_ID_MAX) {
      throw new IllegalArgumentException("a PROXY unique ID has at most 128 bytes");
    }
    // Room for the TLVs from the start: the buffer is never grown while they are appended.
    int tlvBytes =
        (uniqueId == null ? 0 : TLV_HEAD + uniqueId.length) + (crc32c ? TLV_HEAD + CRC_BYTES : 0);
    ByteBuf header =
        v2(alloc, ipv4, source, destination, client.getPort(), vip.getPort(), tlvBytes);
    if (uniqueId != null) {
      addTlv(header, TLV_UNIQUE_ID, uniqueId);
    }
    if (crc32c) {
      // Last, over the whole header with its own value zero (the spec's rule), then filled in.
      int at = addTlv(header, TLV_CRC32C, new byte[CRC_BYTES]);
      CRC32C checksum = new CRC32C();
      checksum.update(header.nioBuffer());
      header.setInt(at, (int) checksum.getValue());
    }
    return header;
  }

  /** Appends one TLV and counts it in the header's length; answers where its value starts. */
  private static int addTlv(ByteBuf header, int type, byte[] value) {
    header.writeByte(type).writeShort(value.length);
    int at = header.writerIndex();
    header.writeBytes(value);
    header.setShort(V2_LENGTH_AT, header.getUnsignedShort(V2_LENGTH_AT) + TLV_HEAD + value.length);
    return at;
  }

  /** As written in the configuration: {@code none}, {@code v1} or {@code v2}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static ByteBuf v1(
      ByteBufAllocator alloc,
      boolean ipv4,
      InetAddress source,
      InetAddress destination,
      int sourcePort,
      int destinationPort) {
    String line =
        "PROXY "
            + (ipv4 ? "TCP4 " : "TCP6 ")
            + source.getHostAddress()
            + " "
            + destination.getHostAddress()
            + " "
            + sourcePort
            + " "
            + destinationPort
            + "\r\n";
    byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  private static ByteBuf v2(
      ByteBufAllocator alloc,
      boolean ipv4,
      InetAddress source,
      InetAddress destination,
      int sourcePort,
      int destinationPort,
      int tlvBytes) {
    byte[] src = source.getAddress();
    byte[] dst = destination.getAddress();
    int length = src.length + dst.length + 4;
    return alloc
        .buffer(V2_FIXED + length + tlvBytes)
        .writeBytes(V2_SIGNATURE)
        .writeByte(V2_PROXY_COMMAND)
        .writeByte(ipv4 ? TCP_OVER_IPV4 : TCP_OVER_IPV6)
        .writeShort(length)
        .writeBytes(src)
        .writeBytes(dst)
        .writeShort(sourcePort)
        .writeShort(destinationPort);
  }

  private static InetAddress asIpv6(InetAddress address) {
    if (address instanceof Inet6Address) {
      return address;
    }
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xFF;
    mapped[11] = (byte) 0xFF;
    System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
    try {
      // Inet6Address.getByAddress keeps the mapped form; InetAddress.getByAddress would fold it
      // back to IPv4.
      return Inet6Address.getByAddress(null, mapped, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }
}
