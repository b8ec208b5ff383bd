package io.shopstack.dns.authoritative.ratelimit;

import static io.shopstack.dns.authoritative.ratelimit.ResponseRateLimiter.Decision.DROP;
import static io.shopstack.dns.authoritative.ratelimit.ResponseRateLimiter.Decision.SEND;
import static io.shopstack.dns.authoritative.ratelimit.ResponseRateLimiter.Decision.SLIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.authoritative.ratelimit.ResponseRateLimiter.Decision;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accounting alone, on a clock the test owns. */
class ResponseRateLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  private static InetAddress ip(String address) throws Exception {
    return InetAddress.getByName(address);
  }

  private static List<Decision> burst(ResponseRateLimiter rrl, String client, int n, long at)
      throws Exception {
    List<Decision> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(rrl.charge(ip(client), at));
    }
    return out;
  }

  @Test
  void aBurstGetsOneSecondsWorthThenEverySecondLimitedAnswerSlips() throws Exception {
    ResponseRateLimiter rrl = new ResponseRateLimiter(3, 5, 2);
    assertThat(burst(rrl, "192.0.2.7", 7, 0))
        .containsExactly(SEND, SEND, SEND, DROP, SLIP, DROP, SLIP);
  }

  @Test
  void theWholeSlash24SharesOneAccountAndOtherNetworksHaveTheirOwn() throws Exception {
    ResponseRateLimiter rrl = new ResponseRateLimiter(2, 5, 0);
    assertThat(burst(rrl, "192.0.2.1", 2, 0)).containsOnly(SEND);
    assertThat(rrl.charge(ip("192.0.2.200"), 0)).isEqualTo(DROP);
    assertThat(rrl.charge(ip("192.0.3.1"), 0)).isEqualTo(SEND);
    assertThat(burst(rrl, "2001:db8:0:100::1", 2, 0)).containsOnly(SEND);
    assertThat(rrl.charge(ip("2001:db8:0:1ff::9"), 0)).as("same /56").isEqualTo(DROP);
    assertThat(rrl.charge(ip("2001:db8:0:200::1"), 0)).as("next /56").isEqualTo(SEND);
  }

  @Test
  void aFloodIsRememberedForTheWindowThenForgiven() throws Exception {
    ResponseRateLimiter rrl = new ResponseRateLimiter(10, 2, 0);
    burst(rrl, "198.51.100.1", 1000, 0); // deep in debt: capped at 2 s worth (20)
    assertThat(rrl.charge(ip("198.51.100.1"), SECOND)).as("1 s later, still owing").isEqualTo(DROP);
    assertThat(rrl.charge(ip("198.51.100.1"), 3 * SECOND)).as("debt paid off").isEqualTo(SEND);
  }
}
