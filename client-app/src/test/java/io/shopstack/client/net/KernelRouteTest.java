package io.shopstack.client.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** What the phone prints of the kernel's routing: the lines iproute2 prints, read back. */
class KernelRouteTest {

  @Test
  void aPhoneBehindItsRegionsRouterGoesViaTheGateway() {
    // As `ip route get 172.28.0.80` printed it in the north phone's container.
    KernelRoute route =
        KernelRoute.parse(
            "172.28.0.80 via 172.28.1.254 dev eth0 src 172.28.1.10 uid 0 \n    cache \n");
    assertThat(route.gateway()).isEqualTo("172.28.1.254");
    assertThat(route.device()).isEqualTo("eth0");
    assertThat(route.source()).isEqualTo("172.28.1.10");
    assertThat(route.line())
        .isEqualTo("172.28.0.80 via 172.28.1.254 dev eth0 src 172.28.1.10 uid 0");
  }

  @Test
  void theGatewaysMacAndStateComeFromTheNeighbourTable() {
    assertThat(KernelRoute.neighbour("172.28.1.254 dev eth0 lladdr 02:42:ac:1c:01:fe REACHABLE \n"))
        .contains(new KernelRoute.Neighbour("02:42:ac:1c:01:fe", "REACHABLE"));
    assertThat(KernelRoute.neighbour("172.28.1.254 dev eth0 FAILED \n")).isEmpty();
  }

  @Test
  void theLocalTopologysLoopbackHasNoGatewayOnThisMachine() throws Exception {
    // The real kernel of the machine the tests run on: loopback is reached directly.
    KernelRoute route = KernelRoute.to(InetAddress.getByName("127.28.0.80")).orElseThrow();
    assertThat(route.gateway()).isNull();
    assertThat(route.device()).isEqualTo("lo");
    assertThat(route.gatewayNeighbour()).isEmpty();
  }
}
