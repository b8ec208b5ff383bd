package io.shopstack.client.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The hops tracepath reports, read back from the lines iputils' tracepath prints. */
class TtlProbeTest {

  @Test
  void aPhoneBehindItsRouterReachesTheVipInTwoHops() {
    // tracepath -n 172.28.0.80 in the north phone's container (iputils 20221126): the router
    // answers TTL 1 (twice: the first probe also learns the path MTU), the VIP TTL 2.
    String output =
        """
         1?: [LOCALHOST]                      pmtu 1500
         1:  172.28.1.254                                          0.097ms\s
         1:  172.28.1.254                                          0.045ms\s
         2:  172.28.0.80                                           0.088ms reached
             Resume: pmtu 1500 hops 2 back 2\s
        """;
    assertThat(TtlProbe.parse(output))
        .containsExactly(
            new TtlProbe.Hop(1, "172.28.1.254", false), new TtlProbe.Hop(2, "172.28.0.80", true));
  }

  @Test
  void aSilentHopIsNoHop() {
    String output =
        """
         1?: [LOCALHOST]                      pmtu 1500
         1:  no reply
         2:  172.28.0.80                                           0.088ms reached
        """;
    assertThat(TtlProbe.parse(output)).containsExactly(new TtlProbe.Hop(2, "172.28.0.80", true));
  }
}
