package io.shopstack.dns.edns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ServerCookiesTest {
  private static final byte[] CLIENT = {1, 2, 3, 4, 5, 6, 7, 8};

  @Test
  void sipHashMatchesTheReferenceVector() {
    // Aumasson and Bernstein's paper, appendix A: key 00..0f, message 00..0e.
    byte[] key = new byte[16];
    byte[] message = new byte[15];
    for (int i = 0; i < 16; i++) {
      key[i] = (byte) i;
    }
    for (int i = 0; i < 15; i++) {
      message[i] = (byte) i;
    }
    long k0 = SipHash.littleEndian(key, 0, 8);
    long k1 = SipHash.littleEndian(key, 8, 8);
    assertThat(SipHash.hash(k0, k1, message)).isEqualTo(0xa129ca6149be45e5L);
  }

  @Test
  void serverCookieHasTheRfc9018LayoutAndDependsOnClientAndSecret() throws Exception {
    long now = 1_700_000_000L;
    ServerCookies cookies = new ServerCookies(new SecureRandom(), () -> now);
    InetAddress client = InetAddress.getByName("127.28.1.10");
    byte[] cookie = cookies.serverCookie(CLIENT, client);

    assertThat(cookie).hasSize(16);
    assertThat(Arrays.copyOfRange(cookie, 0, 4)).containsExactly(1, 0, 0, 0);
    long timestamp =
        ((cookie[4] & 0xffL) << 24)
            | ((cookie[5] & 0xffL) << 16)
            | ((cookie[6] & 0xffL) << 8)
            | (cookie[7] & 0xffL);
    assertThat(timestamp).isEqualTo(now);

    assertThat(cookies.serverCookie(CLIENT, client)).as("stable").isEqualTo(cookie);
    assertThat(cookies.serverCookie(CLIENT, InetAddress.getByName("127.28.2.10")))
        .as("another client address")
        .isNotEqualTo(cookie);
    assertThat(cookies.serverCookie(new byte[8], client))
        .as("another client cookie")
        .isNotEqualTo(cookie);
    assertThat(new ServerCookies(new SecureRandom(), () -> now).serverCookie(CLIENT, client))
        .as("another server's secret")
        .isNotEqualTo(cookie);
  }
}
