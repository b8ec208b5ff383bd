package io.shopstack.client.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.client.net.CapturedSyn;
import io.shopstack.client.net.KernelRoute;
import io.shopstack.client.net.PacketPath;
import io.shopstack.client.net.RouterCrossing;
import io.shopstack.client.net.TtlProbe;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code buy.path} of {@code journey --json} for a north phone's purchase through router-north,
 * with the facts as the Docker suite saw them (kernel route, tracepath, the router's two captures).
 */
class PathJsonTest {

  @Test
  void thePathCarriesTheRouteTheHopsAndBothLegsOfEachRouter() {
    CapturedSyn arrived =
        new CapturedSyn(
            "02:42:ac:1c:01:0a", "02:42:ac:1c:01:fe", 64, "172.28.1.10", 40312, "172.28.0.80", 80);
    CapturedSyn left =
        new CapturedSyn(
            "02:42:ac:1c:00:fe", "02:42:ac:1c:00:50", 63, "172.28.1.10", 40312, "172.28.0.80", 80);
    PacketPath path =
        new PacketPath(
            new KernelRoute(
                "172.28.1.254",
                "eth0",
                "172.28.1.10",
                "172.28.0.80 via 172.28.1.254 dev eth0 src 172.28.1.10 uid 0"),
            new KernelRoute.Neighbour("02:42:ac:1c:01:fe", "REACHABLE"),
            List.of(
                new TtlProbe.Hop(1, "172.28.1.254", false),
                new TtlProbe.Hop(2, "172.28.0.80", true)),
            null,
            List.of(
                new RouterCrossing(
                    "router-north",
                    new RouterCrossing.Leg("eth1", "172.28.1.254/24", "02:42:ac:1c:01:fe"),
                    arrived,
                    new RouterCrossing.Leg("eth0", "172.28.0.254/24", "02:42:ac:1c:00:fe"),
                    left)),
            null);

    JsonNode json = JsonMapper.builder().build().valueToTree(PathJson.of(path));
    assertThat(json.path("route").path("gateway").asText()).isEqualTo("172.28.1.254");
    assertThat(json.path("gatewayMac").asText()).isEqualTo("02:42:ac:1c:01:fe");
    assertThat(json.path("hops").get(0).path("router").asText()).isEqualTo("router-north");
    assertThat(json.path("hops").get(1).path("reached").asBoolean()).isTrue();
    assertThat(json.path("hops").get(1).path("router").isNull()).isTrue();
    JsonNode crossing = json.path("crossings").get(0);
    assertThat(crossing.path("router").asText()).isEqualTo("router-north");
    assertThat(crossing.path("source").asText()).isEqualTo("172.28.1.10:40312");
    assertThat(crossing.path("in").path("device").asText()).isEqualTo("eth1");
    assertThat(crossing.path("in").path("ttl").asInt()).isEqualTo(64);
    assertThat(crossing.path("out").path("sourceMac").asText()).isEqualTo("02:42:ac:1c:00:fe");
    assertThat(crossing.path("out").path("ttl").asInt()).isEqualTo(63);
    assertThat(crossing.path("out").path("destinationAddress").asText()).isEqualTo("172.28.0.80");
    assertThat(json.path("capturesNote").isNull()).isTrue();
  }

  @Test
  void noPathWhenThePurchaseWasNotSent() {
    assertThat(PathJson.of(null)).isNull();
  }
}
