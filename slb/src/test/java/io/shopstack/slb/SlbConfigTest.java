package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.common.config.ConfigLoader;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlbConfigTest {
  private static SlbConfig load(Map<String, String> variables) {
    return ConfigLoader.load(SlbConfig.class, "classpath:slb.yml", variables);
  }

  @Test
  void localDefaultsListenOnTheVipAndTheDatacenterAddress() {
    SlbConfig config = load(Map.of());

    assertThat(config.instance()).isEqualTo("slb");
    assertThat(config.listenAddresses())
        .containsExactly(
            new InetSocketAddress("127.28.0.80", 8080), new InetSocketAddress("127.29.0.2", 8080));
    assertThat(config.backendAddresses())
        .containsExactly(
            new InetSocketAddress("127.29.0.11", 8080), new InetSocketAddress("127.29.0.12", 8080));
    assertThat(config.adminAddress()).isEqualTo(new InetSocketAddress("127.28.0.80", 9901));
    assertThat(config.connectTimeout()).hasSeconds(1);
  }

  @Test
  void dockerNeedsOnlyTheWildcardBind() {
    SlbConfig config =
        load(Map.of("SHOP_NET", "172", "SHOP_BIND", "0.0.0.0", "SHOP_HTTP_PORT", "80"));

    assertThat(config.listenAddresses()).containsExactly(new InetSocketAddress("0.0.0.0", 80));
    assertThat(config.backendAddresses())
        .containsExactly(
            new InetSocketAddress("172.29.0.11", 8080), new InetSocketAddress("172.29.0.12", 8080));
  }

  @Test
  void duplicateListenAddressesCollapse() {
    SlbConfig config =
        load(Map.of("SHOP_BIND", "0.0.0.0", "SHOP_BIND_DC", "0.0.0.0", "SHOP_HTTP_PORT", "80"));

    assertThat(config.listenAddresses()).containsExactly(new InetSocketAddress("0.0.0.0", 80));
  }

  @Test
  void aWildcardCoversOnlyItsOwnPortAndEphemeralPortsNeverCollapse() {
    assertThat(
            ListenAddresses.collapse(
                List.of(
                    new InetSocketAddress("0.0.0.0", 80),
                    new InetSocketAddress("127.29.0.2", 8080),
                    new InetSocketAddress("127.0.0.1", 0),
                    new InetSocketAddress("127.0.0.1", 0))))
        .containsExactly(
            new InetSocketAddress("0.0.0.0", 80),
            new InetSocketAddress("127.29.0.2", 8080),
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", 0));
  }

  @Test
  void badAddressesAreNamed() {
    SlbConfig config = new SlbConfig("slb", List.of("127.0.0.1"), List.of("x:1"), "a:1", 1000);
    assertThatThrownBy(config::listenAddresses).hasMessageContaining("'127.0.0.1'");
    SlbConfig badPort = new SlbConfig("slb", List.of("127.0.0.1:http"), List.of("x:1"), "a:1", 1);
    assertThatThrownBy(badPort::listenAddresses).hasMessageContaining("bad port");
  }

  @Test
  void ipv6AddressesAreBracketed() {
    assertThat(SlbConfig.address("[::1]:8080")).isEqualTo(new InetSocketAddress("::1", 8080));
  }

  @Test
  void aConfigWithoutBackendsIsRejected() {
    assertThatThrownBy(() -> new SlbConfig("slb", List.of("127.0.0.1:0"), List.of(), "a:1", 1000))
        .hasMessageContaining("at least one backend");
  }
}
