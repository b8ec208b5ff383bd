package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.testing.Curl;
import io.shopstack.common.testing.MetricsScrape;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The instance as the topology launcher makes it: YAML plus a variable map, nothing else. */
class AuthoritativeServerTest {

  @Test
  void variablesAloneTurnTheShippedConfigIntoTheRootServer() throws Exception {
    Map<String, String> vars =
        Map.of(
            "SHOP_INSTANCE", "dns-root",
            "SHOP_BIND", "127.0.0.1",
            "SHOP_DNS_PORT", "0",
            "SHOP_ADMIN_PORT", "0",
            "SHOP_ZONES", ".=classpath:zones/root.zone",
            "SHOP_NET", "172");
    AuthoritativeConfig config =
        ConfigLoader.load(AuthoritativeConfig.class, "classpath:dns-authoritative.yml", vars);
    assertThat(config.instance()).isEqualTo("dns-root");
    try (AuthoritativeServer server = new AuthoritativeServer(config).start()) {
      Message m = TestDns.ask(server.dnsPort(), false, "www.shop.example.", Type.A);
      assertThat(TestDns.section(m, Section.ADDITIONAL))
          .contains("ns1.example. 172800 A 172.28.0.3");

      Curl.Response health = Curl.run("http://127.0.0.1:" + server.adminPort() + "/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body()).contains("dns-root");
      assertThat(
              MetricsScrape.of(server.adminPort())
                  .value(
                      "dns_answers_total",
                      Map.of("instance", "dns-root", "qtype", "A", "rcode", "NOERROR")))
          .isEqualTo(1.0);
    }
  }

  @Test
  void defaultsAreTheLocalShopServer() {
    AuthoritativeConfig config =
        ConfigLoader.load(AuthoritativeConfig.class, "classpath:dns-authoritative.yml", Map.of());
    assertThat(config.instance()).isEqualTo("dns-shop");
    assertThat(config.bind()).isEqualTo("127.28.0.4");
    assertThat(config.dnsPort()).isEqualTo(1053);
    assertThat(config.adminPort()).isEqualTo(9901);
    assertThat(config.zones()).isEqualTo("shop.example.=classpath:zones/shop.example.zone");
    assertThat(config.zoneVariables()).containsEntry("SHOP_NET", "127");
    assertThat(config.maxUdpPayload()).isEqualTo(1232);
    assertThat(config.tcpConnectionsPerClient()).isEqualTo(16);
    assertThat(config.tcpConnections()).isEqualTo(150);
    assertThat(config.tcpQuerySeconds()).isEqualTo(30);
    assertThat(config.transfer().allow()).as("AXFR allowed from").isEmpty();
  }

  @Test
  void tcpLimitsComeFromTheEnvironment() {
    AuthoritativeConfig config =
        ConfigLoader.load(
            AuthoritativeConfig.class,
            "classpath:dns-authoritative.yml",
            Map.of(
                "SHOP_DNS_TCP_PER_CLIENT", "4",
                "SHOP_DNS_TCP_CONNECTIONS", "40",
                "SHOP_DNS_TCP_QUERY_SECONDS", "5"));
    assertThat(config.tcpConnectionsPerClient()).isEqualTo(4);
    assertThat(config.tcpConnections()).isEqualTo(40);
    assertThat(config.tcpQuerySeconds()).isEqualTo(5);
  }
}
