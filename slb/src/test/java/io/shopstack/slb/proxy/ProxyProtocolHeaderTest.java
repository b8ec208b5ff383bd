package io.shopstack.slb.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The header bytes against the examples worked out by hand from proxy-protocol.txt. */
class ProxyProtocolHeaderTest {
  private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
  private static final InetSocketAddress PHONE = new InetSocketAddress("172.28.1.10", 49996);
  private static final InetSocketAddress VIP = new InetSocketAddress("172.28.0.80", 80);

  private static String hex(ByteBuf header) {
    try {
      return ByteBufUtil.hexDump(header);
    } finally {
      header.release();
    }
  }

  @Test
  void v2ForIpv4IsTwentyEightBytes() {
    assertThat(hex(ProxyProtocol.V2.header(ALLOC, PHONE, VIP, false, null)))
        .isEqualTo(
            "0d0a0d0a000d0a515549540a" // signature
                + "21" // version 2, PROXY
                + "11" // TCP over IPv4
                + "000c" // 12 bytes follow
                + "ac1c010a" // 172.28.1.10
                + "ac1c0050" // 172.28.0.80
                + "c34c" // 49996
                + "0050"); // 80
  }

  @Test
  void v2MapsIpv4ToIpv6WhenTheOtherSideIsIpv6() {
    String hex =
        hex(ProxyProtocol.V2.header(ALLOC, PHONE, new InetSocketAddress("::1", 80), false, null));

    assertThat(hex.substring(24, 32)).isEqualTo("21210024"); // TCP over IPv6, 36 bytes
    assertThat(hex.substring(32, 64)).isEqualTo("00000000000000000000ffffac1c010a");
    assertThat(hex.substring(64, 96)).isEqualTo("00000000000000000000000000000001");
  }

  @Test
  void v2WithTlvsCarriesTheUniqueIdThenAChecksumOfTheWholeHeader() {
    ByteBuf header =
        ProxyProtocol.V2.header(
            ALLOC, PHONE, VIP, true, "order-42".getBytes(StandardCharsets.US_ASCII));
    try {
      String hex = ByteBufUtil.hexDump(header);
      assertThat(header.capacity())
          .as("made with room for its TLVs, never grown")
          .isEqualTo(header.readableBytes());
      assertThat(hex.substring(28, 32)).as("12 + (3 + 8) + (3 + 4) bytes follow").isEqualTo("001e");
      assertThat(hex.substring(56, 78))
          .as("PP2_TYPE_UNIQUE_ID, 8 bytes, the ID")
          .isEqualTo(
              "050008" + ByteBufUtil.hexDump("order-42".getBytes(StandardCharsets.US_ASCII)));
      assertThat(hex.substring(78, 84)).as("PP2_TYPE_CRC32C, 4 bytes").isEqualTo("030004");
      int stored = header.getInt(header.writerIndex() - 4);
      header.setInt(header.writerIndex() - 4, 0);
      assertThat(stored)
          .as("CRC32c of the header with its own value zero, big-endian")
          .isEqualTo(crc32c(ByteBufUtil.getBytes(header)));
    } finally {
      header.release();
    }
  }

  /** CRC32c bit by bit (Castagnoli, reflected 0x82F63B78): a second opinion to the JDK's. */
  private static int crc32c(byte[] bytes) {
    int crc = 0xFFFFFFFF;
    for (byte b : bytes) {
      crc ^= b & 0xFF;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc >>> 1) ^ ((crc & 1) != 0 ? 0x82F63B78 : 0);
      }
    }
    return ~crc;
  }

  @Test
  void theOptionsAreWrittenAsHaproxysProxyV2Options() {
    assertThat(ProxyHeader.of("V2 unique-id, crc32c"))
        .isEqualTo(new ProxyHeader(ProxyProtocol.V2, true, true));
    assertThat(ProxyHeader.of("v2 unique-id, crc32c").label()).isEqualTo("v2 crc32c,unique-id");
    assertThat(ProxyHeader.of("v1").label()).isEqualTo("v1");
    assertThat(ProxyHeader.of(null)).isEqualTo(ProxyHeader.NONE);
    assertThatThrownBy(() -> ProxyHeader.of("v1 crc32c"))
        .hasMessageContaining("need proxyProtocol v2");
    assertThatThrownBy(() -> ProxyHeader.of("v2 ssl")).hasMessageContaining("crc32c or unique-id");
  }

  @Test
  void eachConnectionHasItsOwnUniqueId() {
    ProxyHeader withIds = ProxyHeader.of("v2 unique-id");
    assertThat(ProxyHeader.of("v2").nextUniqueId()).isNull();
    ByteBuf first = withIds.header(ALLOC, PHONE, VIP, withIds.nextUniqueId());
    ByteBuf second = withIds.header(ALLOC, PHONE, VIP, withIds.nextUniqueId());
    try {
      assertThat(ByteBufUtil.hexDump(first)).isNotEqualTo(ByteBufUtil.hexDump(second));
      assertThat(first.getUnsignedShort(14)).isGreaterThan(12).isLessThanOrEqualTo(12 + 3 + 128);
    } finally {
      first.release();
      second.release();
    }
  }

  @Test
  void v1IsOneLine() {
    ByteBuf header = ProxyProtocol.V1.header(ALLOC, PHONE, VIP, false, null);
    try {
      assertThat(header.toString(StandardCharsets.US_ASCII))
          .isEqualTo("PROXY TCP4 172.28.1.10 172.28.0.80 49996 80\r\n");
    } finally {
      header.release();
    }
  }

  @Test
  void noneSendsNothingAndUnknownVersionsAreRefused() {
    assertThat(ProxyProtocol.NONE.header(ALLOC, PHONE, VIP, false, null)).isNull();
    assertThat(ProxyProtocol.of("v2")).isEqualTo(ProxyProtocol.V2);
    assertThatThrownBy(() -> ProxyProtocol.of("v3")).hasMessageContaining("none, v1 or v2");
  }
}
