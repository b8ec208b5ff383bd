package io.shopstack.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The facts the Docker suite reads from the phone app's printout, on printouts of real runs. */
class JourneyOutputTest {
  private static String buy(String statusLine, String headers) {
    return String.join(
        "\n",
        "[1] Resolve",
        "[3] Buy",
        "  POST http://www.shop.example:80/purchaseOrder   (X-Request-Id: c72666ea)",
        "    > POST /purchaseOrder HTTP/1.1  Host: www.shop.example",
        "    " + statusLine,
        "    " + headers,
        "");
  }

  @Test
  void theOrderIsTheLocationAndInstanceOfTheLastJourneysCreatedResponse() {
    String earlier =
        buy(
            "< HTTP/1.1 201   first byte 70 ms",
            "< Location: /purchaseOrder/1  |  X-Served-By: order-1  |  Content-Type: x");
    String last =
        buy(
            "< HTTP/1.1 201   first byte 370 ms, total 408 ms, 191 bytes",
            "< Location: /purchaseOrder/42  |  X-Served-By: order-2  |  Content-Type: x");

    assertThat(JourneyOutput.placedOrder(earlier + last))
        .isEqualTo(new JourneyOutput.PlacedOrder(42, "order-2"));
  }

  @Test
  void aRefusedOrderIsNoPlacedOrder() {
    String refused =
        buy("< HTTP/1.1 400   first byte 5 ms", "< Location: /purchaseOrder/7  |  X-Served-By: x");
    assertThatThrownBy(() -> JourneyOutput.placedOrder(refused))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no 201");
  }

  @Test
  void aRoutersTwoCapturesAreReadAsTheJourneyPrintsThemThroughCompose() {
    String printed =
        """
        demo_1  |     -> router-north captured this connection's SYN 172.28.1.10:40312 > 172.28.0.80:80 on both legs:
        demo_1  |     ->   in  eth1 172.28.1.254/24  02:42:ac:1c:01:0a > 02:42:ac:1c:01:fe  ttl 64
        demo_1  |     ->   out eth0 172.28.0.254/24  02:42:ac:1c:00:fe > 02:42:ac:1c:00:50  ttl 63
        demo_1  |     ->   MACs rewritten, TTL 64 -> 63, IP addresses unchanged
        """;
    JourneyOutput.PrintedCrossing c = JourneyOutput.crossing(printed, "router-north");
    assertThat(c.inDevice()).isEqualTo("eth1");
    assertThat(c.inAddress()).isEqualTo("172.28.1.254/24");
    assertThat(c.in())
        .isEqualTo(
            new RouterCapture.Syn(
                "02:42:ac:1c:01:0a",
                "02:42:ac:1c:01:fe",
                64,
                "172.28.1.10",
                40312,
                "172.28.0.80",
                80));
    assertThat(c.out().sourceMac()).isEqualTo("02:42:ac:1c:00:fe");
    assertThat(c.out().ttl()).isEqualTo(63);
    assertThat(c.outDevice()).isEqualTo("eth0");
    assertThat(c.verdict()).isEqualTo("MACs rewritten, TTL 64 -> 63, IP addresses unchanged");
  }
}
