package io.shopstack.dns.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.dns.authoritative.AuthoritativeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CDN's server: section starts from dns-authoritative.yml and changes only what it names. */
class CdnDnsConfigTest {
  private static final Map<String, String> VARS =
      Map.of("SHOP_BIND", "127.0.0.1", "SHOP_DNS_PORT", "0", "SHOP_ADMIN_PORT", "0");

  @TempDir Path dir;

  @Test
  void theShippedFileNamesOnlyWhereAndWhatAndInheritsEverySetting() throws Exception {
    AuthoritativeConfig cdn =
        ConfigLoader.load(CdnDnsConfig.class, "classpath:dns-cdn.yml", VARS).server();
    AuthoritativeConfig authoritative =
        ConfigLoader.load(AuthoritativeConfig.class, "classpath:dns-authoritative.yml", VARS);

    assertThat(cdn.instance()).isEqualTo("dns-cdn");
    assertThat(cdn.bind()).isEqualTo("127.0.0.1");
    assertThat(cdn.dnsPort()).isZero();
    assertThat(cdn.zones()).isEqualTo("cdn.example.=classpath:zones/cdn.example.zone");
    // Everything dns-cdn.yml does not name is the authoritative server's, knob for knob.
    assertThat(cdn)
        .usingRecursiveComparison()
        .ignoringFields("instance", "zones")
        .isEqualTo(authoritative);
    assertThat(Files.readString(Path.of("src/main/resources/dns-cdn.yml")))
        .doesNotContain("tcpConnectionsPerClient", "maxUdpPayload", "rrl:", "transfer:");
  }

  @Test
  void aKeyUnderServerReplacesOnlyItselfEvenInsideASection() throws Exception {
    Path file = dir.resolve("dns-cdn.yml");
    Files.writeString(
        file,
        ConfigLoader.readText("classpath:dns-cdn.yml")
            .replace(
                "server:\n", "server:\n  tcpQuerySeconds: 7\n  rrl:\n    responsesPerSecond: 9\n"));
    AuthoritativeConfig cdn = ConfigLoader.load(CdnDnsConfig.class, file.toString(), VARS).server();
    assertThat(cdn.tcpQuerySeconds()).isEqualTo(7);
    assertThat(cdn.rrl().responsesPerSecond()).isEqualTo(9);
    assertThat(cdn.rrl().window()).as("the rest of rrl: from the defaults").isEqualTo(5);
    assertThat(cdn.tcpConnectionsPerClient()).isEqualTo(16);
  }
}
