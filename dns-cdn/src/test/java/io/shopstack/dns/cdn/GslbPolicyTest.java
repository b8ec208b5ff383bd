package io.shopstack.dns.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.dns.cdn.gslb.GslbPolicy;
import io.shopstack.dns.cdn.gslb.GslbSettings;
import io.shopstack.dns.cdn.gslb.GslbSettings.RegionSettings;
import io.shopstack.dns.cdn.gslb.Placement;
import io.shopstack.dns.edns.ClientLocation;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy's decisions without the wire: where health and the region map steer clients. */
class GslbPolicyTest {
  private static CdnDnsConfig config(String net) {
    return ConfigLoader.load(CdnDnsConfig.class, "classpath:dns-cdn.yml", Map.of("SHOP_NET", net));
  }

  private static ClientLocation at(String address) throws Exception {
    return ClientLocation.ofSource(InetAddress.getByName(address));
  }

  @Test
  void dockerAddressesComeFromTheSameConfig() throws Exception {
    GslbPolicy policy = new GslbPolicy(config("172").gslb().regionMap(), edge -> true);
    Placement north = policy.place(at("172.28.1.10"));
    assertThat(north.region()).isEqualTo("north");
    assertThat(north.edges())
        .extracting(e -> e.address().getHostAddress())
        .containsExactly("172.28.1.20");
  }

  @Test
  void regionWithoutHealthyEdgeSendsItsClientsElsewhere() throws Exception {
    GslbPolicy policy =
        new GslbPolicy(config("127").gslb().regionMap(), edge -> !edge.region().equals("north"));
    Placement placed = policy.place(at("127.28.1.10"));
    assertThat(placed.region()).isEqualTo("south");
    assertThat(placed.scopePrefix()).isEqualTo(24);
  }

  @Test
  void noHealthyEdgeAnywhereFailsOpenWithEveryEdge() throws Exception {
    GslbPolicy policy = new GslbPolicy(config("127").gslb().regionMap(), edge -> false);
    assertThat(policy.place(at("127.28.1.10")).edges()).hasSize(2);
  }

  private static GslbSettings region(String subnet, String edge) {
    return new GslbSettings(
        "shop.cdn.example.",
        30,
        List.of(new RegionSettings("north", List.of(subnet), List.of(edge))));
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
    assertThatThrownBy(() -> region("127.28.1.0/24", "edge-north.example").regionMap())
        .hasMessageContaining("literal");
    assertThatThrownBy(() -> region("127.28.1.0/24", "::1").regionMap())
        .hasMessageContaining("not IPv4");
  }
}
