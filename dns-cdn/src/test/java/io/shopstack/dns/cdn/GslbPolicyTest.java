package io.shopstack.dns.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.dns.cdn.gslb.Decision;
import io.shopstack.dns.cdn.gslb.EdgeHealth;
import io.shopstack.dns.cdn.gslb.EdgeStatus;
import io.shopstack.dns.cdn.gslb.GslbPolicy;
import io.shopstack.dns.cdn.gslb.GslbSettings;
import io.shopstack.dns.cdn.gslb.GslbSettings.EdgeSettings;
import io.shopstack.dns.cdn.gslb.GslbSettings.RegionSettings;
import io.shopstack.dns.cdn.gslb.GslbSettings.ServiceSettings;
import io.shopstack.dns.edns.ClientLocation;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The policy's decisions without the wire: where health and the region map steer clients. */
class GslbPolicyTest {
  private static final Name SHOP = GslbSettings.dnsName("shop.cdn.example.");

  private static GslbSettings shipped(String net) {
    return ConfigLoader.load(CdnDnsConfig.class, "classpath:dns-cdn.yml", Map.of("SHOP_NET", net))
        .gslb();
  }

  private static GslbPolicy policy(GslbSettings gslb, EdgeHealth health) {
    return new GslbPolicy(gslb.regionMap(), gslb.pools(), gslb.answers(), health);
  }

  private static ClientLocation at(String address) throws Exception {
    return ClientLocation.ofSource(InetAddress.getByName(address));
  }

  private static List<String> addresses(Decision d) {
    return d.chosen().stream().map(e -> e.address().getHostAddress()).toList();
  }

  @Test
  void dockerAddressesComeFromTheSameConfig() throws Exception {
    Decision north = policy(shipped("172"), EdgeHealth.ALL_UP).decide(SHOP, at("172.28.1.10"));
    assertThat(north.region()).isEqualTo("north");
    assertThat(north.reason()).isEqualTo(Decision.Reason.HOME);
    assertThat(addresses(north)).containsExactly("172.28.1.20");
    assertThat(north.chosen().get(0).health()).hasToString("http://172.28.1.20:9901/health");
  }

  @Test
  void regionWithoutHealthyEdgeSendsItsClientsToItsFallback() throws Exception {
    Decision placed =
        policy(
                shipped("127"),
                edge -> edge.region().equals("north") ? EdgeStatus.DOWN : EdgeStatus.UP)
            .decide(SHOP, at("127.28.1.10"));
    assertThat(placed.region()).isEqualTo("south");
    assertThat(placed.reason()).isEqualTo(Decision.Reason.FAILOVER);
    assertThat(placed.scopePrefix()).isEqualTo(24);
  }

  @Test
  void noHealthyEdgeAnywhereFailsOpenWithEveryEdge() throws Exception {
    Decision placed =
        policy(shipped("127"), edge -> EdgeStatus.DOWN).decide(SHOP, at("127.28.1.10"));
    assertThat(placed.reason()).isEqualTo(Decision.Reason.FAIL_OPEN);
    assertThat(placed.chosen()).hasSize(2);
  }

  private static GslbSettings region(String subnet, String edge) {
    return new GslbSettings(
        30,
        1,
        new GslbSettings.HealthCheckSettings(0, 500, 2, 2),
        List.of(new RegionSettings("north", List.of(subnet), List.of())),
        List.of(new EdgeSettings("edge-north", edge, "north", null, null)),
        List.of(new ServiceSettings("shop.cdn.example.", List.of("edge-north"))),
        null);
  }

  @Test
  void subnetsAndEdgesAreCheckedWhenLoaded() {
    assertThat(region("127.28.1.0/24", "127.28.1.20").regionMap().regions().get(0).subnets())
        .hasToString("[127.28.1.0/24]");
    assertThatThrownBy(() -> region("127.28.1.7/24", "127.28.1.20").regionMap())
        .hasMessageContaining("host bits");
    assertThatThrownBy(() -> region("edge.example/24", "127.28.1.20").regionMap())
        .hasMessageContaining("literal");
    assertThatThrownBy(() -> region("127.28.1.0", "127.28.1.20").regionMap())
        .hasMessageContaining("prefix");
    assertThatThrownBy(() -> region("127.28.1.0/24", "edge-north.example").pools())
        .hasMessageContaining("literal");
    assertThatThrownBy(() -> region("127.28.1.0/24", "::1").pools())
        .hasMessageContaining("not IPv4");
  }

  @Test
  void poolsNameOnlyKnownEdgesAndRegions() {
    GslbSettings.HealthCheckSettings checks = new GslbSettings.HealthCheckSettings(0, 500, 2, 2);
    List<RegionSettings> regions =
        List.of(new RegionSettings("north", List.of("127.28.1.0/24"), List.of("east")));
    assertThatThrownBy(
            () -> new GslbSettings(30, 1, checks, regions, List.of(), List.of(), null).regionMap())
        .hasMessageContaining("fallback 'east' is not another region");
    List<RegionSettings> one =
        List.of(new RegionSettings("north", List.of("127.28.1.0/24"), List.of()));
    List<EdgeSettings> edges = List.of(new EdgeSettings("n1", "127.28.1.20", "west", 1, null));
    assertThatThrownBy(
            () ->
                new GslbSettings(
                        30,
                        1,
                        checks,
                        one,
                        edges,
                        List.of(new ServiceSettings("shop.cdn.example.", List.of("n1"))),
                        null)
                    .pools())
        .hasMessageContaining("region 'west' is not in the region map");
    List<EdgeSettings> north = List.of(new EdgeSettings("n1", "127.28.1.20", "north", 1, null));
    assertThatThrownBy(
            () ->
                new GslbSettings(
                        30,
                        1,
                        checks,
                        one,
                        north,
                        List.of(new ServiceSettings("shop.cdn.example.", List.of("n2"))),
                        null)
                    .pools())
        .hasMessageContaining("no edge named 'n2'");
  }
}
