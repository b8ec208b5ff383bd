package io.shopstack.dns.cdn.gslb;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.edns.ClientLocation;
import io.shopstack.dns.net.AddressBlock;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Longest prefix wins, and the ECS scope never lets a resolver reuse an answer for a client that
 * would have been placed elsewhere (RFC 7871 7.2.1): checked against every address of the scope.
 */
class RegionMapTest {
  /** A /8 "wide" region with a /16 "city" inside it, and a separate /24 "north". */
  private final RegionMap map =
      new RegionMap(
          List.of(
              region("wide", "10.0.0.0/8"),
              region("city", "10.1.0.0/16"),
              region("north", "127.28.1.0/24")));

  private static Region region(String name, String... subnets) {
    return new Region(name, Arrays.stream(subnets).map(AddressBlock::parse).toList(), List.of());
  }

  private static ClientLocation ecs(String address, int prefix) throws Exception {
    return new ClientLocation(InetAddress.getByName(address), prefix, true);
  }

  private static String name(Region r) {
    return r == null ? null : r.name();
  }

  @Test
  void theLongestMatchingSubnetWinsWhateverTheOrder() throws Exception {
    assertThat(name(map.locate(ecs("10.1.2.0", 24)).region())).isEqualTo("city");
    assertThat(name(map.locate(ecs("10.2.2.0", 24)).region())).isEqualTo("wide");
  }

  @Test
  void aWideRegionsScopeStopsShortOfTheMoreSpecificSubnetInsideIt() throws Exception {
    RegionMap.Located wide = map.locate(ecs("10.2.2.0", 24));
    // 10.2.0.0/15 holds no address of 10.1.0.0/16; the /8 or /14 would.
    assertThat(wide.scopePrefix()).isEqualTo(15);
    assertThat(map.locate(ecs("10.1.2.0", 24)).scopePrefix()).isEqualTo(16);
    // 10.200.x.x: 10.128.0.0/9 is the widest block without 10.1.0.0/16.
    assertThat(map.locate(ecs("10.200.0.0", 24)).scopePrefix()).isEqualTo(9);
  }

  @Test
  void aClientInNoRegionGetsTheWidestBlockThatHoldsNoRegion() throws Exception {
    RegionMap.Located nowhere = map.locate(ecs("127.0.0.0", 24));
    assertThat(nowhere.region()).isNull();
    // 127.0.0.0/12 stops before 127.28.x.x (0001 1100 in the second byte).
    assertThat(nowhere.scopePrefix()).isEqualTo(12);
  }

  @Test
  void aSubnetCoarserThanARegionIsToldToSendMoreBits() throws Exception {
    RegionMap.Located coarse = map.locate(ecs("127.28.0.0", 16));
    assertThat(coarse.region()).isNull();
    assertThat(coarse.scopePrefix()).isEqualTo(24);
  }

  @Test
  void everyAddressInsideAnAnswersScopeIsPlacedInTheSameRegion() throws Exception {
    for (String client : List.of("10.2.2.0", "10.1.9.0", "10.255.0.0", "127.0.0.0", "127.28.1.0")) {
      RegionMap.Located located = map.locate(ecs(client, 24));
      AddressBlock scope =
          AddressBlock.of(InetAddress.getByName(client), Math.min(24, located.scopePrefix()));
      byte[] base = scope.network().getAddress();
      // Walk the scope block in /24 steps (at most 65,536 of them for a /8).
      int steps = 1 << Math.max(0, 24 - scope.prefixLength());
      for (int i = 0; i < steps; i += Math.max(1, steps / 4096)) {
        int value =
            ((base[0] & 0xff) << 24 | (base[1] & 0xff) << 16 | (base[2] & 0xff) << 8) + (i << 8);
        InetAddress other =
            InetAddress.getByAddress(
                new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), 0});
        assertThat(name(map.locate(new ClientLocation(other, 24, true)).region()))
            .as("%s inside the scope of %s", other, client)
            .isEqualTo(name(located.region()));
      }
    }
  }

  /** The int lookup of the fast path decides as the address-object one, on random clients. */
  @Test
  void theIpv4LookupOnIntsAgreesWithTheReferenceOnRandomClients() throws Exception {
    RegionMap mixed =
        new RegionMap(
            List.of(
                region("wide", "10.0.0.0/8", "2001:db8::/32"),
                region("city", "10.1.0.0/16", "10.1.128.0/17"),
                region("north", "127.28.1.0/24", "127.28.1.128/25"),
                region("south", "127.28.2.0/24", "0.0.0.0/1")));
    java.util.Random random = new java.util.Random(20261130);
    int[] bases = {0x0a000000, 0x0a010000, 0x7f1c0100, 0x7f1c0200, 0x7f1c0000, 0};
    for (int i = 0; i < 20_000; i++) {
      int prefix = random.nextInt(33);
      int spread = random.nextInt(25);
      int address = bases[random.nextInt(bases.length)] ^ (random.nextInt() >>> (8 + spread));
      address = prefix == 0 ? 0 : address & (-1 << (32 - prefix));
      byte[] bytes = java.nio.ByteBuffer.allocate(4).putInt(address).array();
      ClientLocation client = new ClientLocation(InetAddress.getByAddress(bytes), prefix, true);
      RegionMap.Located reference = mixed.locateAny(client);
      RegionMap.Located fast = mixed.locate(address, prefix);
      assertThat(name(fast.region()))
          .as("%s/%d", client.address().getHostAddress(), prefix)
          .isEqualTo(name(reference.region()));
      assertThat(fast.scopePrefix())
          .as("%s/%d", client.address().getHostAddress(), prefix)
          .isEqualTo(reference.scopePrefix());
    }
  }
}
