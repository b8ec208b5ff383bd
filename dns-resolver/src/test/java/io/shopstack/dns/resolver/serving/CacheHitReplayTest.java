package io.shopstack.dns.resolver.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shopstack.common.server.Transport;
import io.shopstack.dns.resolver.MutableClock;
import io.shopstack.dns.resolver.cache.CacheSettings;
import io.shopstack.dns.resolver.cache.CachedAnswer;
import io.shopstack.dns.resolver.cache.RecordCache;
import io.shopstack.dns.resolver.delegation.DelegationCache;
import io.shopstack.dns.resolver.ecs.ClientSubnet;
import io.shopstack.dns.resolver.ecs.EcsAuthorities;
import io.shopstack.dns.resolver.iteration.Hardening;
import io.shopstack.dns.resolver.iteration.IterationLimits;
import io.shopstack.dns.resolver.iteration.IterativeResolver;
import io.shopstack.dns.resolver.iteration.UnwantedReplies;
import io.shopstack.dns.resolver.iteration.UpstreamClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cache hit answered from the query's wire bytes ({@link CacheHitReplay}) against the full path
 * it replaces, byte for byte: for every shape of query (letter case, ID, RD, EDNS and its size, DO,
 * CD), positive, NXDOMAIN and NODATA entries, and TTLs counting down, the replayed bytes must be
 * exactly dnsjava's encoding of the response the full path builds; and it must leave to the full
 * path every query that path answers otherwise (ECS, cookies, scoped answers, prefetch, the
 * allow-list, sizes the kept bytes do not fit). The handler and the cache are the real ones; the
 * upstream is never asked (every answer here comes from the cache).
 */
class CacheHitReplayTest {
  private static final Name WWW = Name.fromConstantString("www.shop.example.");
  private static final Name GONE = Name.fromConstantString("gone.shop.example.");
  private static final Name OLD = Name.fromConstantString("old.shop.example.");
  private static final Name BIG = Name.fromConstantString("big.shop.example.");
  private static final Name CDN = Name.fromConstantString("shop.cdn.example.");
  private static final InetSocketAddress PHONE = new InetSocketAddress("127.1.1.10", 40000);
  private static final InetSocketAddress STRANGER = new InetSocketAddress("192.0.2.7", 40000);

  private final MutableClock clock = new MutableClock();
  private RecordCache cache;
  private RecursiveQueryHandler handler;

  @BeforeEach
  void fillCache() throws Exception {
    CacheSettings settings = new CacheSettings(1 << 20, 100, 86400, 3600);
    cache = new RecordCache(settings, clock);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    IterativeResolver resolver =
        new IterativeResolver(
            cache,
            new DelegationCache(settings, List.of(loopback), clock),
            new UpstreamClient(
                null, Transport.NIO, loopback, 53, 16, new UnwantedReplies(0, () -> {}), null),
            new IterationLimits(800, 3000, 16, 8, 3, null, null),
            EcsAuthorities.none(),
            Hardening.DEFAULT,
            clock);
    handler =
        new RecursiveQueryHandler(
            resolver,
            new AllowList(List.of("127.0.0.0/8")),
            new ClientRateLimit(0, clock),
            new ResolverMetrics(new SimpleMeterRegistry()),
            24,
            56,
            Duration.ofSeconds(3));
    ClientSubnet located =
        ClientSubnet.of(query(1, "www.shop.example.", Type.A), PHONE.getAddress(), 24, 56);
    RRset www = new RRset(a(WWW, "127.28.0.80", 300));
    www.addRR(a(WWW, "127.28.0.81", 300));
    www.addRR(signature(WWW, Type.A, 300));
    cache.putRecords(www, located, 0);
    cache.putNegative(GONE, Type.A, DClass.IN, Rcode.NXDOMAIN, soa(), located, 0);
    cache.putNegative(WWW, Type.AAAA, DClass.IN, Rcode.NOERROR, soa(), located, 0);
    // Signed NXDOMAIN: the SOA (negative TTL 60) and an NSEC whose own TTL is 30.
    RRset soaSigned = new RRset(soa());
    soaSigned.addRR(signature(Name.fromString("shop.example."), Type.SOA, 60));
    RRset nsec =
        new RRset(
            new NSECRecord(
                Name.fromString("nz.shop.example."),
                DClass.IN,
                30,
                Name.fromString("www.shop.example."),
                new int[] {Type.A}));
    nsec.addRR(signature(Name.fromString("nz.shop.example."), Type.NSEC, 30));
    cache.putNegative(
        OLD, Type.A, DClass.IN, Rcode.NXDOMAIN, soa(), List.of(soaSigned, nsec), located, 0);
    RRset big = new RRset();
    for (int i = 1; i <= 40; i++) {
      big.addRR(a(BIG, "127.30.0." + i, 300));
    }
    cache.putRecords(big, located, 0);
    // The GSLB's answer holds for the northern /24 only.
    cache.putRecords(new RRset(a(CDN, "127.28.1.20", 20)), located, 24);
  }

  @ParameterizedTest(name = "{0} {1} rd={2} edns={3} do={4} cd={5}")
  @CsvSource({
    "WwW.ShOp.eXaMpLe., A, true, 1232, false, false",
    "www.shop.example., A, false, 1232, false, false",
    "WWW.SHOP.EXAMPLE., A, true, 0, false, false",
    "www.shop.example., A, true, 4096, true, false",
    "www.shop.example., A, true, 1232, true, true",
    "www.shop.example., A, true, 1232, false, true",
    "www.shop.example., A, true, 100, false, false",
    "Gone.Shop.Example., A, true, 1232, false, false",
    "gone.shop.example., A, false, 0, false, false",
    "gone.shop.example., ANY, true, 1232, true, false",
    "WWW.shop.example., AAAA, true, 1232, false, false",
    "Old.Shop.Example., A, true, 1232, true, false",
    "old.shop.example., A, true, 1232, false, false",
  })
  void replayedFromTheWireEqualsTheFullPathByteForByte(
      String name, String type, boolean rd, int edns, boolean dnssecOk, boolean checkingDisabled)
      throws Exception {
    int t = Type.value(type);
    Message first = query(7, name.toLowerCase(), t, rd, edns, dnssecOk, checkingDisabled);
    // Nothing kept yet: the full path answers, and keeps its encoding.
    assertThat(fromWire(first, PHONE)).isNull();
    assertThat(fullPath(first)).isEqualTo(dnsjava(first));
    int elapsed = 0;
    // The TTLs count down; a proof record with a shorter TTL keeps its own until the entry has
    // less.
    for (int step : new int[] {0, 1, 1, 33}) {
      clock.advance(Duration.ofSeconds(step));
      elapsed += step;
      Message again = query(40000 + elapsed, name, t, rd, edns, dnssecOk, checkingDisabled);

      byte[] replayed = fromWire(again, PHONE);

      assertThat(replayed).as("%d s later", elapsed).isEqualTo(dnsjava(again));
      assertThat(fullPath(again)).as("the full path's replay").isEqualTo(dnsjava(again));
      Message response = new Message(replayed);
      assertThat(response.getQuestion().getName().toString()).isEqualTo(name);
      if (response.getRcode() == Rcode.NOERROR && t == Type.A) {
        assertThat(response.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(300 - elapsed);
      }
    }
  }

  @Test
  void queriesTheFullPathAnswersOtherwiseAreLeftToIt() throws Exception {
    Message plain = query(1, "www.shop.example.", Type.A, true, 1232, false, false);
    fullPath(plain);
    assertThat(fromWire(plain, PHONE)).isNotNull();

    assertThat(fromWire(plain, STRANGER)).as("outside the allow-list: REFUSED there").isNull();
    assertThat(handler.handle(plain, STRANGER, io.shopstack.dns.server.Transport.UDP))
        .succeedsWithin(Duration.ofSeconds(1))
        .extracting(Message::getRcode)
        .isEqualTo(Rcode.REFUSED);

    Message withEcs = query(2, "www.shop.example.", Type.A, true, 0, false, false);
    withEcs.addRecord(
        new OPTRecord(
            1232, 0, 0, 0, List.of(new ClientSubnetOption(24, InetAddress.getByName("127.1.2.0")))),
        Section.ADDITIONAL);
    assertThat(fromWire(withEcs, PHONE)).as("ECS is echoed by the full path").isNull();

    Message withCookie = query(3, "www.shop.example.", Type.A, true, 0, false, false);
    withCookie.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(new byte[8]))), Section.ADDITIONAL);
    assertThat(fromWire(withCookie, PHONE)).as("the transport adds its cookie").isNull();

    Message scoped = query(4, "shop.cdn.example.", Type.A, true, 1232, false, false);
    fullPath(scoped);
    assertThat(fromWire(scoped, PHONE)).as("an answer for one subnet only").isNull();

    Message large = query(5, "big.shop.example.", Type.A, true, 4096, false, false);
    assertThat(fullPath(large)).hasSizeGreaterThan(512);
    assertThat(fromWire(large, PHONE)).isEqualTo(dnsjava(large));
    // The same shape (EDNS, no DO) offering 512 bytes: the kept answer does not fit; truncated
    // there.
    Message small = query(6, "big.shop.example.", Type.A, true, 512, false, false);
    assertThat(fromWire(small, PHONE)).isNull();
    assertThat(fullPath(small)).hasSizeLessThanOrEqualTo(512).isEqualTo(dnsjava(small));

    clock.advance(Duration.ofSeconds(275)); // 25 s of 300 left: prefetch is due
    CachedAnswer due =
        cache
            .lookup(WWW, Type.A, DClass.IN, ClientSubnet.of(plain, PHONE.getAddress(), 24, 56))
            .orElseThrow();
    assertThat(due.prefetchDue()).isTrue();
    RecursiveQueryHandler.cacheHit(plain, due).toWire(1232); // kept, without a prefetch upstream
    assertThat(due.wireForms().get(3)).isNotNull();
    assertThat(fromWire(plain, PHONE)).as("prefetch is started by the full path").isNull();
  }

  @Test
  void anIpv4AllowListAgreesWithTheAddressBlocks() throws Exception {
    AllowList list = new AllowList(List.of("127.0.0.0/8", "172.28.1.0/24", "10.1.2.3/32", "::1"));
    for (String allowed :
        List.of("127.0.0.1", "127.255.255.255", "172.28.1.0", "10.1.2.3", "::1")) {
      assertThat(list.permits(InetAddress.getByName(allowed))).as(allowed).isTrue();
    }
    for (String refused : List.of("126.0.0.1", "172.28.2.1", "10.1.2.4", "0.0.0.0", "::2")) {
      assertThat(list.permits(InetAddress.getByName(refused))).as(refused).isFalse();
    }
    assertThat(new AllowList(List.of("0.0.0.0/0")).permits(InetAddress.getByName("8.8.8.8")))
        .isTrue();
  }

  /** What {@code QueryFlow} sends when the handler answers: its response encoded in the limit. */
  private byte[] fullPath(Message query) {
    Message response =
        handler
            .handle(query, PHONE, io.shopstack.dns.server.Transport.UDP)
            .toCompletableFuture()
            .join();
    return response.toWire(limit(query));
  }

  /** dnsjava's own encoding of the response the full path builds from the same cache entry. */
  private byte[] dnsjava(Message query) {
    Record question = query.getQuestion();
    ClientSubnet subnet = ClientSubnet.of(query, PHONE.getAddress(), 24, 56);
    Optional<CachedAnswer> hit =
        cache.lookup(question.getName(), question.getType(), DClass.IN, subnet);
    assertThat(hit).isPresent();
    CachedAnswer answer = hit.get();
    return RecursiveQueryHandler.response(
            query,
            answer.rcode(),
            answer.isNegative() ? List.of() : List.of(answer.records()),
            answer.authority(),
            subnet,
            0)
        .toWire(limit(query));
  }

  private byte[] fromWire(Message query, InetSocketAddress client) {
    ByteBuf wire = Unpooled.wrappedBuffer(query.toWire());
    ByteBuf answer =
        handler.answerFromWire(
            ByteBufAllocator.DEFAULT, 0, wire, client, io.shopstack.dns.server.Transport.UDP);
    wire.release();
    if (answer == null) {
      return null;
    }
    try {
      return ByteBufUtil.getBytes(answer);
    } finally {
      answer.release();
    }
  }

  private static int limit(Message query) {
    OPTRecord opt = query.getOPT();
    return opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), 1232));
  }

  private static Message query(int id, String name, int type) throws Exception {
    return query(id, name, type, true, 0, false, false);
  }

  private static Message query(
      int id,
      String name,
      int type,
      boolean rd,
      int edns,
      boolean dnssecOk,
      boolean checkingDisabled)
      throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setID(id);
    if (!rd) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    if (checkingDisabled) {
      query.getHeader().setFlag(Flags.CD);
    }
    if (edns > 0) {
      query.addRecord(
          new OPTRecord(edns, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return query;
  }

  private static ARecord a(Name name, String address, long ttl) throws Exception {
    return new ARecord(name, DClass.IN, ttl, InetAddress.getByName(address));
  }

  private static RRSIGRecord signature(Name owner, int covered, long ttl) throws Exception {
    return new RRSIGRecord(
        owner,
        DClass.IN,
        ttl,
        covered,
        13,
        ttl,
        Instant.parse("2036-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:00:00Z"),
        4242,
        Name.fromString("shop.example."),
        new byte[64]);
  }

  private static SOARecord soa() throws Exception {
    return new SOARecord(
        Name.fromString("shop.example."),
        DClass.IN,
        60,
        Name.fromString("ns.shop.example."),
        Name.fromString("hostmaster.shop.example."),
        1,
        3600,
        900,
        604800,
        60);
  }
}
