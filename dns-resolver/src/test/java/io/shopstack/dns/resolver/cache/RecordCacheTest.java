package io.shopstack.dns.resolver.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.net.AddressBlock;
import io.shopstack.dns.resolver.MutableClock;
import io.shopstack.dns.resolver.ecs.ClientSubnet;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class RecordCacheTest {
  private final MutableClock clock = new MutableClock();
  private final RecordCache cache =
      new RecordCache(new CacheSettings(1 << 20, 10, 86400, 3600), clock);

  private static final Name WWW = name("www.shop.example.");
  private static final Name EDGE = name("shop.cdn.example.");

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static RRset a(Name owner, long ttl, String address) throws Exception {
    return new RRset(new ARecord(owner, DClass.IN, ttl, InetAddress.getByName(address)));
  }

  private static ClientSubnet phone(String address) throws Exception {
    return new ClientSubnet(AddressBlock.of(InetAddress.getByName(address), 24), null);
  }

  private Optional<CachedAnswer> lookup(Name name, ClientSubnet client) {
    return cache.lookup(name, Type.A, DClass.IN, client);
  }

  @Test
  void ttlCountsDownAndTheEntryIsGoneWhenItReachesZero() throws Exception {
    cache.putRecords(a(WWW, 300, "127.28.0.80"), phone("127.1.1.10"), 0);

    clock.advance(Duration.ofSeconds(120));
    assertThat(lookup(WWW, phone("127.1.1.10")).orElseThrow().records().getTTL()).isEqualTo(180);

    clock.advance(Duration.ofSeconds(180));
    assertThat(lookup(WWW, phone("127.1.1.10"))).isEmpty();
  }

  @Test
  void saysItMayHoldDnamesOnlyOnceOneWasCached() throws Exception {
    cache.putRecords(a(WWW, 300, "127.28.0.80"), phone("127.1.1.10"), 0);
    assertThat(cache.mayHoldDnames()).isFalse();

    cache.putRecords(
        new RRset(
            new DNAMERecord(name("old.shop.example."), DClass.IN, 300, name("new.shop.example."))),
        phone("127.1.1.10"),
        0);

    assertThat(cache.mayHoldDnames()).isTrue();
  }

  @Test
  void ttlZeroIsNeverCachedAndHugeTtlsAreCapped() throws Exception {
    RecordCache capped = new RecordCache(new CacheSettings(1 << 20, 10, 600, 60), clock);
    capped.putRecords(a(WWW, 0, "127.28.0.80"), phone("127.1.1.10"), 0);
    capped.putRecords(a(EDGE, 999_999, "127.28.1.20"), phone("127.1.1.10"), 0);

    assertThat(capped.lookup(WWW, Type.A, DClass.IN, phone("127.1.1.10"))).isEmpty();
    assertThat(
            capped
                .lookup(EDGE, Type.A, DClass.IN, phone("127.1.1.10"))
                .orElseThrow()
                .records()
                .getTTL())
        .isEqualTo(600);
  }

  @Test
  void negativeAnswerLivesForTheSoaMinimumAndCarriesTheSoa() throws Exception {
    Name zone = name("shop.example.");
    SOARecord soa =
        new SOARecord(
            zone,
            DClass.IN,
            3600,
            name("ns.shop.example."),
            name("hostmaster.shop.example."),
            1,
            3600,
            900,
            604800,
            60);
    Name missing = name("nosuch.shop.example.");
    cache.putNegative(missing, Type.A, DClass.IN, Rcode.NXDOMAIN, soa, phone("127.1.1.10"), 0);

    clock.advance(Duration.ofSeconds(45));
    CachedAnswer hit = lookup(missing, phone("127.1.2.10")).orElseThrow();
    assertThat(hit.isNegative()).isTrue();
    assertThat(hit.rcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(hit.soa().getTTL()).isEqualTo(15);

    clock.advance(Duration.ofSeconds(15));
    assertThat(lookup(missing, phone("127.1.2.10"))).isEmpty();
  }

  @Test
  void answerWithEcsScopeIsGivenOnlyToClientsInThatSubnet() throws Exception {
    cache.putRecords(a(EDGE, 30, "127.28.1.20"), phone("127.1.1.10"), 24);
    cache.putRecords(a(EDGE, 30, "127.28.2.20"), phone("127.1.2.10"), 24);

    assertThat(lookup(EDGE, phone("127.1.1.200")).orElseThrow().records().first().rdataToString())
        .isEqualTo("127.28.1.20");
    assertThat(lookup(EDGE, phone("127.1.2.7")).orElseThrow().records().first().rdataToString())
        .isEqualTo("127.28.2.20");
    assertThat(lookup(EDGE, phone("127.1.3.10"))).isEmpty();
    assertThat(lookup(EDGE, ClientSubnet.none())).isEmpty();
    assertThat(lookup(EDGE, phone("127.1.1.1")).orElseThrow().ecsScope()).isEqualTo(24);
  }

  @Test
  void scopeLongerThanWhatWasSentIsCutToWhatWasSent() throws Exception {
    ClientSubnet sent16 = new ClientSubnet(AddressBlock.parse("127.1.0.0/16"), null);
    cache.putRecords(a(EDGE, 30, "127.28.1.20"), sent16, 32);

    assertThat(lookup(EDGE, phone("127.1.200.1"))).isPresent();
    assertThat(lookup(EDGE, phone("127.2.0.1"))).isEmpty();
  }

  @Test
  void scopeZeroFitsEveryoneButAnAnswerFetchedWithoutLocationOnlyUnlocatedClients()
      throws Exception {
    cache.putRecords(a(WWW, 300, "127.28.0.80"), phone("127.1.1.10"), 0);
    cache.putRecords(a(EDGE, 30, "127.28.0.99"), ClientSubnet.none(), 0);

    assertThat(lookup(WWW, phone("127.9.9.9"))).isPresent();
    assertThat(lookup(WWW, ClientSubnet.none())).isPresent();
    assertThat(lookup(EDGE, ClientSubnet.none())).isPresent();
    assertThat(lookup(EDGE, phone("127.1.1.10"))).isEmpty();
  }

  @Test
  void fullCacheEvictsTheLeastRecentlyUsedEntry() throws Exception {
    RecordCache probe = new RecordCache(new CacheSettings(1 << 20, 1, 86400, 3600), clock);
    probe.putRecords(a(WWW, 300, "127.0.0.1"), ClientSubnet.none(), 0);
    // Room for two entries of this size and a little, not for three.
    RecordCache small =
        new RecordCache(new CacheSettings(2 * probe.bytes() + 10, 1, 86400, 3600), clock);
    Name third = name("third.shop.example.");
    small.putRecords(a(WWW, 300, "127.0.0.1"), ClientSubnet.none(), 0);
    small.putRecords(a(EDGE, 300, "127.0.0.2"), ClientSubnet.none(), 0);
    small.lookup(WWW, Type.A, DClass.IN, ClientSubnet.none()); // WWW is now the recently used one
    small.putRecords(a(third, 300, "127.0.0.3"), ClientSubnet.none(), 0);

    assertThat(small.size()).isEqualTo(2);
    assertThat(small.lookup(WWW, Type.A, DClass.IN, ClientSubnet.none())).isPresent();
    assertThat(small.lookup(EDGE, Type.A, DClass.IN, ClientSubnet.none())).isEmpty();
    assertThat(small.lookup(third, Type.A, DClass.IN, ClientSubnet.none())).isPresent();
  }

  @Test
  void theBoundIsInBytesSoOneHugeRrsetPushesOutManySmallOnes() throws Exception {
    RecordCache bounded = new RecordCache(new CacheSettings(4096, 1, 86400, 3600), clock);
    for (int i = 0; i < 10; i++) {
      bounded.putRecords(
          a(name("n" + i + ".shop.example."), 300, "127.0.0.1"), phone("127.1.1.1"), 0);
    }
    long tenSmall = bounded.bytes();
    RRset big = new RRset();
    Name bigName = name("big.shop.example.");
    for (int i = 1; i <= 100; i++) {
      big.addRR(new ARecord(bigName, DClass.IN, 300, InetAddress.getByName("127.28.9." + i)));
    }

    bounded.putRecords(big, phone("127.1.1.1"), 0);

    assertThat(tenSmall).isGreaterThan(1000);
    // 100 A records are 3,200 bytes on the wire: only a few of the small entries can stay.
    assertThat(bounded.bytes()).isBetween(3200L, 4096L);
    assertThat(bounded.size()).isBetween(2, 5);
    assertThat(bounded.lookup(bigName, Type.A, DClass.IN, phone("127.1.1.1"))).isPresent();
    assertThat(bounded.lookup(name("n0.shop.example."), Type.A, DClass.IN, phone("127.1.1.1")))
        .isEmpty();
  }

  @Test
  void anRrsetBiggerThanTheWholeCacheIsNotKeptAndEvictsNothing() throws Exception {
    RecordCache tiny = new RecordCache(new CacheSettings(1024, 1, 86400, 3600), clock);
    tiny.putRecords(a(WWW, 300, "127.0.0.1"), phone("127.1.1.1"), 0);
    RRset big = new RRset();
    for (int i = 1; i <= 100; i++) {
      big.addRR(new ARecord(EDGE, DClass.IN, 300, InetAddress.getByName("127.28.9." + i)));
    }

    tiny.putRecords(big, phone("127.1.1.1"), 0);

    assertThat(tiny.lookup(EDGE, Type.A, DClass.IN, phone("127.1.1.1"))).isEmpty();
    assertThat(tiny.lookup(WWW, Type.A, DClass.IN, phone("127.1.1.1"))).isPresent();
  }

  @Test
  void hitsWithinOneSecondShareOneCountedDownCopyAndTheNextSecondCountsOn() throws Exception {
    cache.putRecords(a(WWW, 300, "127.28.0.80"), phone("127.1.1.10"), 0);
    clock.advance(Duration.ofMillis(10_200));

    RRset first = lookup(WWW, phone("127.1.1.10")).orElseThrow().records();
    clock.advance(Duration.ofMillis(300));
    RRset second = lookup(WWW, phone("127.1.1.10")).orElseThrow().records();
    clock.advance(Duration.ofMillis(600));
    RRset third = lookup(WWW, phone("127.1.1.10")).orElseThrow().records();

    assertThat(first.getTTL()).isEqualTo(289);
    assertThat(second).isSameAs(first);
    assertThat(third.getTTL()).isEqualTo(288);
    // The copy is the fresh record but for its TTL, byte for byte.
    ARecord original = new ARecord(WWW, DClass.IN, 288, InetAddress.getByName("127.28.0.80"));
    assertThat(third.first().toWire(org.xbill.DNS.Section.ANSWER))
        .isEqualTo(original.toWire(org.xbill.DNS.Section.ANSWER));
  }
}
