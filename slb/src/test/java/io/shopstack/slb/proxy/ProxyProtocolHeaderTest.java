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
    assertThat(hex(ProxyProtocol.V2.header(ALLOC, PHONE, VIP)))
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
    String hex = hex(ProxyProtocol.V2.header(ALLOC, PHONE, new InetSocketAddress("::1", 80)));

    assertThat(hex.substring(24, 32)).isEqualTo("21210024"); // TCP over IPv6, 36 bytes
    assertThat(hex.substring(32, 64)).isEqualTo("00000000000000000000ffffac1c010a");
    assertThat(hex.substring(64, 96)).isEqualTo("00000000000000000000000000000001");
  }

  @Test
  void v1IsOneLine() {
    ByteBuf header = ProxyProtocol.V1.header(ALLOC, PHONE, VIP);
    try {
      assertThat(header.toString(StandardCharsets.US_ASCII))
          .isEqualTo("PROXY TCP4 172.28.1.10 172.28.0.80 49996 80\r\n");
    } finally {
      header.release();
    }
  }

  @Test
  void noneSendsNothingAndUnknownVersionsAreRefused() {
    assertThat(ProxyProtocol.NONE.header(ALLOC, PHONE, VIP)).isNull();
    assertThat(ProxyProtocol.of("v2")).isEqualTo(ProxyProtocol.V2);
    assertThatThrownBy(() -> ProxyProtocol.of("v3")).hasMessageContaining("none, v1 or v2");
  }
}
