package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.dns.authoritative.zone.Lookup;
import io.shopstack.dns.authoritative.zone.ZoneFileException;
import io.shopstack.dns.authoritative.zone.ZoneLoader;
import io.shopstack.dns.authoritative.zone.ZoneSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class ZoneLoaderTest {
  @TempDir Path dir;

  private static final String GOOD_HEAD =
      "$ORIGIN t.\n$TTL 60\n@ IN SOA ns1 hostmaster 1 2 3 4 5\n@ IN NS ns1\nns1 IN A 127.0.0.1\n";

  private ZoneSource write(String text) throws Exception {
    Path file = dir.resolve("t.zone");
    Files.writeString(file, text);
    return new ZoneSource(Name.fromString("t."), file.toString());
  }

  @Test
  void oneTemplateGivesLocalOrDockerAddresses() throws Exception {
    ZoneSource shop =
        new ZoneSource(Name.fromString("shop.example."), "classpath:zones/shop.example.zone");
    Name www = Name.fromString("www.shop.example.");
    Lookup local = new ZoneLoader(Map.of()).load(shop).lookup(www, Type.A);
    Lookup docker = new ZoneLoader(Map.of("SHOP_NET", "172")).load(shop).lookup(www, Type.A);
    assertThat(((Lookup.Answer) local).rrsets().get(0).first().rdataToString())
        .isEqualTo("127.28.0.80");
    assertThat(((Lookup.Answer) docker).rrsets().get(0).first().rdataToString())
        .isEqualTo("172.28.0.80");
  }

  @Test
  void syntaxErrorNamesFileAndLine() throws Exception {
    ZoneSource source = write(GOOD_HEAD + "www IN A 127.0.0\n");
    assertThatThrownBy(() -> new ZoneLoader(Map.of()).load(source))
        .isInstanceOf(ZoneFileException.class)
        .hasMessageStartingWith(source.location() + ":6:")
        .hasMessageContaining("127.0.0");
  }

  @Test
  void zoneWithoutSoaIsRejected() throws Exception {
    ZoneSource source = write("$ORIGIN t.\n@ 60 IN NS ns1\n");
    assertThatThrownBy(() -> new ZoneLoader(Map.of()).load(source))
        .isInstanceOf(ZoneFileException.class)
        .hasMessageContaining(source.location())
        .hasMessageContaining("SOA");
  }

  @Test
  void cnameBesideOtherDataIsRejected() throws Exception {
    ZoneSource source = write(GOOD_HEAD + "www IN CNAME ns1\nwww IN TXT \"x\"\n");
    assertThatThrownBy(() -> new ZoneLoader(Map.of()).load(source))
        .hasMessageContaining(source.location())
        .hasMessageContaining("www.t. has a CNAME and other data");
  }

  @Test
  void unsetVariableWithoutDefaultIsNamed() throws Exception {
    ZoneSource source = write(GOOD_HEAD + "www IN A ${EDGE_IP}\n");
    assertThatThrownBy(() -> new ZoneLoader(Map.of()).load(source))
        .hasMessageContaining(source.location())
        .hasMessageContaining("EDGE_IP");
  }

  @Test
  void zoneListMustBeOriginEqualsLocation() {
    assertThat(ZoneSource.parseList(" .=classpath:zones/root.zone , example=/x.zone"))
        .extracting(z -> z.origin().toString())
        .containsExactly(".", "example.");
    assertThatThrownBy(() -> ZoneSource.parseList("classpath:zones/root.zone"))
        .hasMessageContaining("origin=location");
  }
}
