package io.shopstack.dns.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressBlockTest {
  private static InetAddress ip(String literal) {
    return IpLiteral.parse(literal);
  }

  @Test
  void parsesIpv4AndIpv6BlocksAndBareAddressesAsHosts() {
    assertThat(AddressBlock.parse("127.28.1.0/24").toString()).isEqualTo("127.28.1.0/24");
    assertThat(AddressBlock.parse(" 10.0.0.0/8 ").prefixLength()).isEqualTo(8);
    assertThat(AddressBlock.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    assertThat(AddressBlock.parse("127.0.0.1")).isEqualTo(AddressBlock.parse("127.0.0.1/32"));
    assertThat(AddressBlock.parse("2001:db8::/32").network()).isEqualTo(ip("2001:db8::"));
    assertThat(AddressBlock.parse("::1").prefixLength()).isEqualTo(128);
  }

  @Test
  void configTextWithHostBitsIsRejectedNamingTheInput() {
    assertThatThrownBy(() -> AddressBlock.parse("172.28.1.5/24"))
        .hasMessageContaining("'172.28.1.5/24'")
        .hasMessageContaining("host bits")
        .hasMessageContaining("172.28.1.0/24");
    assertThatThrownBy(() -> AddressBlock.parse("2001:db8::1/64"))
        .hasMessageContaining("host bits");
  }

  @Test
  void impossiblePrefixesAreRejected() {
    for (String bad : new String[] {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/x"}) {
      assertThatThrownBy(() -> AddressBlock.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("prefix");
    }
    assertThat(AddressBlock.parse("::/128").prefixLength()).isEqualTo(128);
    assertThatThrownBy(() -> AddressBlock.parse("::/129")).hasMessageContaining("impossible");
    assertThatThrownBy(() -> AddressBlock.of(ip("10.0.0.1"), 33)).hasMessageContaining("/33");
  }

  @Test
  void namesAreNeverResolved() {
    // "localhost" would resolve through the JVM; the parser must refuse it without asking anyone.
    for (String name : new String[] {"localhost/8", "edge.example/24", "localhost", "1.2.3/24"}) {
      assertThatThrownBy(() -> AddressBlock.parse(name))
          .as(name)
          .hasMessageContaining("'" + name + "'")
          .hasMessageContaining("literal");
    }
    assertThatThrownBy(() -> IpLiteral.parse("localhost")).hasMessageContaining("'localhost'");
    assertThat(IpLiteral.parse(" 127.28.0.4 ")).isEqualTo(ip("127.28.0.4"));
  }

  @Test
  void ofMasksAComputedEcsPrefix() {
    AddressBlock block = AddressBlock.of(ip("10.1.2.3"), 8);
    assertThat(block.toString()).isEqualTo("10.0.0.0/8");
    assertThat(AddressBlock.of(ip("127.1.2.10"), 24)).isEqualTo(AddressBlock.parse("127.1.2.0/24"));
    assertThat(AddressBlock.of(ip("2001:db8:aa:bbcc::1"), 56))
        .isEqualTo(AddressBlock.parse("2001:db8:aa:bb00::/56"));
  }

  @Test
  void containsMatchesAddressesOfTheSameFamilyOnly() {
    AddressBlock internet = AddressBlock.parse("127.28.0.0/16");
    assertThat(internet.contains(ip("127.28.200.1"))).isTrue();
    assertThat(internet.contains(ip("127.29.0.1"))).isFalse();
    assertThat(internet.contains(ip("::1"))).isFalse();
    assertThat(AddressBlock.parse("10.0.0.0/9").contains(ip("10.127.255.255"))).isTrue();
    assertThat(AddressBlock.parse("10.0.0.0/9").contains(ip("10.128.0.0"))).isFalse();
  }

  @Test
  void coversAndOverlapsComparePrefixesAsAGslbSeesEcs() {
    AddressBlock north = AddressBlock.parse("127.28.1.0/24");
    assertThat(north.covers(ip("127.28.1.0"), 24)).isTrue();
    assertThat(north.covers(ip("127.28.1.128"), 25)).isTrue();
    assertThat(north.covers(ip("127.28.0.0"), 16)).isFalse(); // a /16 spans more than north
    assertThat(north.overlaps(ip("127.28.0.0"), 16)).isTrue();
    assertThat(north.overlaps(ip("127.28.2.0"), 24)).isFalse();
    assertThat(north.covers(ip("::"), 0)).isFalse();
    assertThat(north.overlaps(ip("::"), 0)).isFalse();
  }

  @Test
  void equalBlocksKeyTheSameMapEntry() {
    Map<AddressBlock, String> regions = Map.of(AddressBlock.parse("127.28.1.0/24"), "north");
    assertThat(regions.get(AddressBlock.of(ip("127.28.1.77"), 24))).isEqualTo("north");
    assertThat(regions.get(AddressBlock.of(ip("127.28.1.77"), 25))).isNull();
    assertThat(AddressBlock.parse("127.28.1.0/24").hashCode())
        .isEqualTo(AddressBlock.of(ip("127.28.1.9"), 24).hashCode());
  }
}
