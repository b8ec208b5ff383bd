package io.shopstack.dns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolverConfigTest {
  @Test
  void shippedYamlRunsTheLocalTopologyByDefault() {
    ResolverConfig local =
        ConfigLoader.load(ResolverConfig.class, "classpath:dns-resolver.yml", Map.of());

    assertThat(local.instance()).isEqualTo("dns-resolver");
    assertThat(local.bind()).isEqualTo("127.28.0.53");
    assertThat(local.port()).isEqualTo(1053);
    assertThat(local.upstreamPort()).isEqualTo(1053);
    assertThat(local.adminPort()).isEqualTo(9901);
    assertThat(local.rootHints()).containsExactly("127.28.0.2");
    assertThat(local.allow()).containsExactly("127.0.0.0/8", "127.28.0.0/16");
    assertThat(local.effectiveSourceAddress()).isEqualTo("127.28.0.53");
  }

  @Test
  void dockerVariablesMoveEveryAddressAndPort() {
    ResolverConfig docker =
        ConfigLoader.load(
            ResolverConfig.class,
            "classpath:dns-resolver.yml",
            Map.of("SHOP_NET", "172", "SHOP_BIND", "0.0.0.0", "SHOP_DNS_PORT", "53"));

    assertThat(docker.port()).isEqualTo(53);
    assertThat(docker.upstreamPort()).isEqualTo(53);
    assertThat(docker.rootHints()).containsExactly("172.28.0.2");
    assertThat(docker.allow()).contains("172.28.0.0/16");
    assertThat(docker.effectiveSourceAddress()).isEqualTo("0.0.0.0");
  }
}
