package io.shopstack.slb;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The receiving end of the PROXY protocol, written from HAProxy's proxy-protocol.txt for the tests
 * (the order service has its own): what a backend would conclude about the client.
 */
final class ProxyHeaderReader {
  private static final byte[] V2_SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  private ProxyHeaderReader() {}

  /** {@code v2 SRC:PORT -> DST:PORT}, {@code v1 ...} alike, or {@code no PROXY header}. */
  static String read(DataInputStream in) throws IOException {
    in.mark(16);
    byte[] start = new byte[12];
    in.readFully(start);
    if (Arrays.equals(start, V2_SIGNATURE)) {
      return v2(in);
    }
    if (new String(start, 0, 6, StandardCharsets.US_ASCII).equals("PROXY ")) {
      StringBuilder line = new StringBuilder(new String(start, StandardCharsets.US_ASCII));
      for (int c; (c = in.read()) != '\n'; ) {
        line.append((char) c);
      }
      String[] f = line.toString().trim().split(" ");
      return "v1 " + f[1] + " " + f[2] + ":" + f[4] + " -> " + f[3] + ":" + f[5];
    }
    return "no PROXY header: " + new String(start, StandardCharsets.US_ASCII);
  }

  private static String v2(DataInputStream in) throws IOException {
    int versionCommand = in.readUnsignedByte();
    int familyProtocol = in.readUnsignedByte();
    int length = in.readUnsignedShort();
    byte[] rest = new byte[length];
    in.readFully(rest);
    if (versionCommand != 0x21) {
      return "v2 bad version/command " + Integer.toHexString(versionCommand);
    }
    int addressLength =
        switch (familyProtocol) {
          case 0x11 -> 4;
          case 0x21 -> 16;
          default -> -1;
        };
    if (addressLength < 0) {
      return "v2 unexpected family/protocol " + Integer.toHexString(familyProtocol);
    }
    InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(rest, 0, addressLength));
    InetAddress dst =
        InetAddress.getByAddress(Arrays.copyOfRange(rest, addressLength, 2 * addressLength));
    int srcPort = ((rest[2 * addressLength] & 0xFF) << 8) | (rest[2 * addressLength + 1] & 0xFF);
    int dstPort =
        ((rest[2 * addressLength + 2] & 0xFF) << 8) | (rest[2 * addressLength + 3] & 0xFF);
    return "v2 "
        + (familyProtocol == 0x11 ? "TCP4 " : "TCP6 ")
        + src.getHostAddress()
        + ":"
        + srcPort
        + " -> "
        + dst.getHostAddress()
        + ":"
        + dstPort;
  }
}
