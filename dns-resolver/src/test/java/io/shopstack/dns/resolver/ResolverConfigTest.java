package io.shopstack.dns.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.Transport;
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
    assertThat(local.tcp().connectionsPerClient()).isEqualTo(16);
    assertThat(local.tcp().connections()).isEqualTo(150);
    assertThat(local.tcp().querySeconds()).isEqualTo(30);
    assertThat(local.limits().ednsPayload()).isEqualTo(1232);
    assertThat(local.allow()).containsExactly("127.0.0.0/8", "127.28.0.0/16");
    assertThat(local.effectiveSourceAddress()).isEqualTo("127.28.0.53");
    assertThat(local.ecs().zones()).containsExactly("cdn.example.");
    assertThat(local.ecs().servers()).isEmpty();
    assertThat(local.transport()).isEqualTo("auto");
    assertThat(local.ioTransport()).isEqualTo(Transport.nativeIfAvailable());
  }

  @Test
  void nativeEpollLoadsOnThisLinuxMachine() {
    // The native library ships with the resolver; if it stopped loading, `auto` would fall back to
    // NIO and every test of the default transport would silently run on NIO twice.
    assertThat(Transport.unavailabilityCause()).isNull();
    assertThat(Transport.nativeIfAvailable()).isEqualTo(Transport.EPOLL);
  }

  @Test
  void theTransportIsChosenByNameAndANameWeDoNotKnowIsRefused() {
    ResolverConfig nio =
        ConfigLoader.load(
            ResolverConfig.class,
            "classpath:dns-resolver.yml",
            Map.of("SHOP_DNS_TRANSPORT", "nio"));
    assertThat(nio.ioTransport()).isEqualTo(Transport.NIO);

    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    ResolverConfig.class,
                    "classpath:dns-resolver.yml",
                    Map.of("SHOP_DNS_TRANSPORT", "iouring")))
        .hasStackTraceContaining("transport must be auto, epoll or nio");
  }

  @Test
  void dockerVariablesMoveEveryAddressAndPort() {
    ResolverConfig docker =
        ConfigLoader.load(
            ResolverConfig.class,
            "classpath:dns-resolver.yml",
            Map.of(
                "SHOP_NET", "172",
                "SHOP_BIND", "0.0.0.0",
                "SHOP_DNS_PORT", "53",
                "SHOP_DNS_TCP_PER_CLIENT", "4"));

    assertThat(docker.port()).isEqualTo(53);
    assertThat(docker.upstreamPort()).isEqualTo(53);
    assertThat(docker.rootHints()).containsExactly("172.28.0.2");
    assertThat(docker.allow()).contains("172.28.0.0/16");
    assertThat(docker.tcp().connectionsPerClient()).isEqualTo(4);
    assertThat(docker.effectiveSourceAddress()).isEqualTo("0.0.0.0");
  }
}
