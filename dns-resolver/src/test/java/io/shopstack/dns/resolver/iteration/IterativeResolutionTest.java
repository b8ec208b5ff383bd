package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.admin.Metrics;
import io.shopstack.common.config.ConfigLoader;
import io.shopstack.dns.edns.Edns;
import io.shopstack.dns.resolver.MutableClock;
import io.shopstack.dns.resolver.ResolverConfig;
import io.shopstack.dns.resolver.ResolverServer;
import io.shopstack.dns.resolver.cache.CacheSettings;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The resolver against a miniature DNS tree on real sockets, asked by dnsjava's SimpleResolver from
 * phones in two regions (127.1.1.10 north, 127.1.2.10 south).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IterativeResolutionTest {
  private static final String RESOLVER = "127.153.0.53";
  private static final String NORTH_PHONE = "127.1.1.10";
  private static final String SOUTH_PHONE = "127.1.2.10";

  private FixtureInternet internet;
  private ResolverServer resolver;
  private final MutableClock clock = new MutableClock();

  /** The per-client limit the next resolver gets (0 = none, the shipped default). */
  private int clientQueriesPerSecond;

  /** The cache settings the next resolver gets (null: the shipped ones). */
  private CacheSettings cacheSettings;

  @BeforeAll
  void startInternet() throws Exception {
    internet = new FixtureInternet();
  }

  @AfterAll
  void stopInternet() {
    internet.close();
  }

  @AfterEach
  void stopResolver() {
    clientQueriesPerSecond = 0;
    cacheSettings = null;
    if (resolver != null) {
      resolver.close();
    }
  }

  /** The shipped default ({@code auto}: native epoll here); a subclass runs it all on NIO. */
  String transport() {
    return "auto";
  }

  /** The shipped YAML, pointed at the fixture tree. */
  private ResolverConfig config(
      List<String> rootHints, List<String> allow, IterationLimits limits) {
    return config(rootHints, allow, limits, null);
  }

  private ResolverConfig config(
      List<String> rootHints, List<String> allow, IterationLimits limits, Hardening hardening) {
    ResolverConfig shipped =
        ConfigLoader.load(
            ResolverConfig.class,
            "classpath:dns-resolver.yml",
            Map.of(
                "SHOP_INSTANCE", "resolver-under-test",
                "SHOP_BIND", RESOLVER,
                "SHOP_DNS_PORT", "0",
                "SHOP_ADMIN_PORT", "0"));
    return new ResolverConfig(
        shipped.instance(),
        shipped.bind(),
        0,
        shipped.sourceAddress(),
        0,
        rootHints,
        internet.port(),
        allow == null ? shipped.allow() : allow,
        clientQueriesPerSecond,
        shipped.ecs(),
        limits == null ? shipped.limits() : limits,
        hardening == null ? shipped.hardening() : hardening,
        cacheSettings == null ? shipped.cache() : cacheSettings,
        shipped.tcp(),
        shipped.shutdownSeconds(),
        transport());
  }

  private void startResolver(ResolverConfig config) throws Exception {
    resolver = new ResolverServer(config, Metrics.registry(config.instance()), clock).start();
  }

  private void startResolver() throws Exception {
    startResolver(config(List.of(FixtureInternet.ROOT), null, null));
  }

  private Message ask(String phone, String name, int type) throws Exception {
    return ask(phone, query(name, type));
  }

  private Message ask(String phone, Message query) throws Exception {
    SimpleResolver client = new SimpleResolver(new InetSocketAddress(RESOLVER, resolver.dnsPort()));
    client.setLocalAddress(InetAddress.getByName(phone));
    client.setTimeout(Duration.ofSeconds(6));
    return client.send(query);
  }

  private static Message query(String name, int type) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
  }

  private static List<String> answer(Message response) {
    return response.getSection(Section.ANSWER).stream()
        .map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString())
        .collect(Collectors.toList());
  }

  private double metric(String name) {
    // Counters and function counters (those the resolver core keeps itself) alike.
    return resolver.registry().get(name).meter().measure().iterator().next().getValue();
  }

  @Test
  void cnameIntoTheCdnIsChasedFromTheRootAndTheWholeChainReturned() throws Exception {
    startResolver();
    Message response = ask(NORTH_PHONE, "static.shop.example.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(response))
        .containsExactly(
            "static.shop.example. CNAME shop.cdn.example.",
            "shop.cdn.example. A " + FixtureInternet.NORTH_EDGE);
    assertThat(response.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(response.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
    // Every authoritative server heard from the resolver's own address, not some wildcard.
    for (FixtureAuthority server : List.of(internet.root, internet.example, internet.shop)) {
      assertThat(server.sources).containsOnly(InetAddress.getByName(RESOLVER));
    }
  }

  @Test
  void repeatedQueryIsAnsweredFromCacheWithTtlCountingDown() throws Exception {
    startResolver();
    int upstreamBefore = internet.totalQueries();
    Message first = ask(NORTH_PHONE, "www.shop.example.", Type.A);
    int upstreamAfterFirst = internet.totalQueries();
    clock.advance(Duration.ofSeconds(100));
    Message second = ask(SOUTH_PHONE, "www.shop.example.", Type.A);

    assertThat(answer(second)).containsExactly("www.shop.example. A 127.28.0.80");
    assertThat(first.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(300);
    assertThat(second.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(200);
    assertThat(internet.totalQueries()).isEqualTo(upstreamAfterFirst);
    assertThat(metric("resolver_cache_hits")).isEqualTo(1);
    assertThat(metric("resolver_upstream_queries")).isEqualTo(upstreamAfterFirst - upstreamBefore);

    clock.advance(Duration.ofSeconds(201));
    ask(NORTH_PHONE, "www.shop.example.", Type.A);
    assertThat(internet.totalQueries()).isGreaterThan(upstreamAfterFirst);
  }

  @Test
  void cachedDelegationSendsTheNextNameInTheZoneStraightToItsServers() throws Exception {
    startResolver();
    ask(NORTH_PHONE, "www.shop.example.", Type.A);
    int rootBefore = internet.root.queries.get();
    int tldBefore = internet.example.queries.get();
    int shopBefore = internet.shop.queries.get();

    Message response = ask(NORTH_PHONE, "static.shop.example.", Type.CNAME);

    assertThat(answer(response)).containsExactly("static.shop.example. CNAME shop.cdn.example.");
    assertThat(internet.root.queries.get()).isEqualTo(rootBefore);
    assertThat(internet.example.queries.get()).isEqualTo(tldBefore);
    assertThat(internet.shop.queries.get()).isEqualTo(shopBefore + 1);
  }

  @Test
  void phonesInDifferentSubnetsGetTheirOwnRegionsEdgeAlsoFromCache() throws Exception {
    startResolver();
    assertThat(answer(ask(NORTH_PHONE, "shop.cdn.example.", Type.A)))
        .containsExactly("shop.cdn.example. A " + FixtureInternet.NORTH_EDGE);
    assertThat(internet.cdn.lastEcs.get().getAddress().getHostAddress()).isEqualTo("127.1.1.0");
    assertThat(internet.cdn.lastEcs.get().getSourcePrefixLength()).isEqualTo(24);

    assertThat(answer(ask(SOUTH_PHONE, "shop.cdn.example.", Type.A)))
        .containsExactly("shop.cdn.example. A " + FixtureInternet.SOUTH_EDGE);

    int cdnBefore = internet.cdn.queries.get();
    assertThat(answer(ask("127.1.1.77", "shop.cdn.example.", Type.A)))
        .containsExactly("shop.cdn.example. A " + FixtureInternet.NORTH_EDGE);
    assertThat(answer(ask("127.1.2.99", "shop.cdn.example.", Type.A)))
        .containsExactly("shop.cdn.example. A " + FixtureInternet.SOUTH_EDGE);
    assertThat(internet.cdn.queries.get()).isEqualTo(cdnBefore);
  }

  @Test
  void clientThatOptsOutOfEcsIsNotLocatedAndDoesNotPoisonOthers() throws Exception {
    startResolver();
    Message optOut = query("shop.cdn.example.", Type.A);
    optOut.addRecord(
        new OPTRecord(1232, 0, 0, 0, new ClientSubnetOption(0, InetAddress.getByName("0.0.0.0"))),
        Section.ADDITIONAL);

    Message response = ask(NORTH_PHONE, optOut);

    assertThat(answer(response))
        .containsExactly("shop.cdn.example. A " + FixtureInternet.UNKNOWN_REGION_EDGE);
    assertThat(internet.cdn.lastEcs.get()).isNull();
    ClientSubnetOption echoed = (ClientSubnetOption) response.getOPT().getOptions(8).get(0);
    assertThat(echoed.getSourcePrefixLength()).isZero();
    assertThat(answer(ask(NORTH_PHONE, "shop.cdn.example.", Type.A)))
        .containsExactly("shop.cdn.example. A " + FixtureInternet.NORTH_EDGE);
  }

  @Test
  void nonexistentNameIsNxdomainWithTheZoneSoaAndIsCachedNegatively() throws Exception {
    startResolver();
    Message response = ask(NORTH_PHONE, "nosuch.shop.example.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(response.getSection(Section.ANSWER)).isEmpty();
    Record soa = response.getSection(Section.AUTHORITY).get(0);
    assertThat(soa).isInstanceOf(SOARecord.class);
    assertThat(soa.getName()).isEqualTo(Name.fromString("shop.example."));

    int before = internet.totalQueries();
    clock.advance(Duration.ofSeconds(20));
    Message again = ask(NORTH_PHONE, "nosuch.shop.example.", Type.A);
    assertThat(again.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    // RFC 2308: negative TTL is min(SOA TTL, SOA MINIMUM) = 60, counted down by 20 s.
    assertThat(again.getSection(Section.AUTHORITY).get(0).getTTL()).isEqualTo(40);
    assertThat(internet.totalQueries()).isEqualTo(before);
  }

  @Test
  void answerTooBigForUdpIsFetchedOverTcp() throws Exception {
    startResolver();
    Message response = ask(NORTH_PHONE, "big.shop.example.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(response.getSection(Section.ANSWER)).hasSize(100);
  }

  @Test
  void nameServerWithoutGlueIsResolvedBeforeItIsAsked() throws Exception {
    startResolver();
    Message response = ask(NORTH_PHONE, "www.partner.example.", Type.A);

    assertThat(answer(response)).containsExactly("www.partner.example. A 127.28.5.5");
    assertThat(internet.partner.queries.get()).isPositive();
  }

  @Test
  void recursionNotDesiredIsAnsweredFromCacheOnly() throws Exception {
    startResolver();
    Message norec = query("www.shop.example.", Type.A);
    norec.getHeader().unsetFlag(Flags.RD);
    int before = internet.totalQueries();

    Message miss = ask(NORTH_PHONE, norec);
    assertThat(miss.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(miss.getSection(Section.ANSWER)).isEmpty();
    assertThat(internet.totalQueries()).isEqualTo(before);

    ask(NORTH_PHONE, "www.shop.example.", Type.A);
    Message hit = ask(NORTH_PHONE, norec);
    assertThat(answer(hit)).containsExactly("www.shop.example. A 127.28.0.80");
    assertThat(hit.getHeader().getFlag(Flags.RD)).isFalse();
    assertThat(hit.getHeader().getFlag(Flags.RA)).isTrue();
  }

  @Test
  void otherOpcodesAreNotImplementedWithRdClearAndOurOpt() throws Exception {
    startResolver();
    Message notify = query("shop.example.", Type.SOA);
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    notify.getHeader().setFlag(Flags.RD);
    notify.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    Message m = ask(NORTH_PHONE, notify);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(m.getHeader().getFlag(Flags.RD)).as("RD copied for QUERY only").isFalse();
    assertThat(m.getOPT()).as("our OPT, as RFC 6891 wants in every answer").isNotNull();
    assertThat(m.getOPT().getPayloadSize()).isEqualTo(Edns.PAYLOAD_SIZE);
  }

  @Test
  void clientsOutsideTheAllowListAreRefused() throws Exception {
    startResolver(config(List.of(FixtureInternet.ROOT), List.of("127.1.1.0/24"), null));

    assertThat(ask(SOUTH_PHONE, "www.shop.example.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ask(NORTH_PHONE, "www.shop.example.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(metric("resolver_refused")).isEqualTo(1);
  }

  @Test
  void unreachableRootGivesServfailWithinTheTimeLimit() throws Exception {
    IterationLimits tight = new IterationLimits(300, 1000, 16, 8, 3, Edns.PAYLOAD_SIZE, null);
    startResolver(config(List.of("127.153.9.9", "127.153.9.10"), null, tight));

    long start = System.nanoTime();
    Message response = ask(NORTH_PHONE, "www.shop.example.", Type.A);
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(tookMillis).isLessThan(2500);
    assertThat(metric("resolver_servfails")).isEqualTo(1);
    assertThat(
            resolver
                .registry()
                .get("resolver_servfails")
                .tag("cause", "unreachable")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(resolver.registry().get("resolver_resolution").timer().count()).isEqualTo(1);
  }

  @Test
  void belowACachedNxdomainNothingExistsAndNobodyIsAsked() throws Exception {
    startResolver(
        config(
            List.of(FixtureInternet.ROOT),
            null,
            null,
            new Hardening(false, true, true, null, null)));
    Message gone = ask(NORTH_PHONE, "gone.shop.example.", Type.A);
    assertThat(gone.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    int before = internet.totalQueries();

    // RFC 8020: other types at the name and every name below it are NXDOMAIN from the cache.
    Message below = ask(NORTH_PHONE, "a.b.gone.shop.example.", Type.AAAA);
    Message otherType = ask(NORTH_PHONE, "gone.shop.example.", Type.TXT);

    assertThat(below.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(otherType.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(below.getSection(Section.AUTHORITY))
        .singleElement()
        .satisfies(soa -> assertThat(soa.getType()).isEqualTo(Type.SOA));
    assertThat(internet.totalQueries()).isEqualTo(before);
    // A sibling of the missing name is still asked for.
    assertThat(ask(NORTH_PHONE, "www.shop.example.", Type.TXT).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(internet.totalQueries()).isGreaterThan(before);
  }

  @Test
  void beyondTheOutstandingQueryLimitAQueryFailsAtOnceWithoutBeingSent() throws Exception {
    startResolver(
        config(
            List.of(FixtureInternet.ROOT),
            null,
            new IterationLimits(800, 8000, 16, 8, 3, Edns.PAYLOAD_SIZE, 1)));
    ask(NORTH_PHONE, "www.shop.example.", Type.A); // learns the zone cuts
    int before = internet.shop.queries.get();
    internet.shop.unansweredToCome.set(1);

    // The one query allowed in flight: the shop's server holds it until our retry.
    var held =
        new SimpleResolver(new InetSocketAddress(RESOLVER, resolver.dnsPort()))
            .sendAsync(query("anything.wild.shop.example.", Type.A))
            .toCompletableFuture();
    await().atMost(Duration.ofSeconds(5)).until(() -> internet.shop.queries.get() == before + 1);
    Message refused = ask(NORTH_PHONE, "deep.er.shop.example.", Type.A);

    assertThat(refused.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(internet.shop.queries.get()).isEqualTo(before + 1); // never sent
    assertThat(
            resolver
                .registry()
                .get("resolver_servfails")
                .tag("cause", "overload")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(metric("resolver_upstream_refused_for_capacity")).isGreaterThanOrEqualTo(1);
    assertThat(held.get(10, java.util.concurrent.TimeUnit.SECONDS).getRcode())
        .isEqualTo(Rcode.NOERROR);
  }

  @Test
  void serverThatMissesTheFirstQueryIsAskedAgainWithALongerTimeout() throws Exception {
    startResolver(
        config(
            List.of(FixtureInternet.ROOT),
            null,
            new IterationLimits(300, 4000, 16, 8, 3, Edns.PAYLOAD_SIZE, null)));
    int before = internet.root.queries.get();
    internet.root.unansweredToCome.set(1);

    Message response = ask(NORTH_PHONE, "www.shop.example.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(response)).containsExactly("www.shop.example. A 127.28.0.80");
    assertThat(internet.root.queries.get() - before).isEqualTo(2);
  }

  @Test
  void clientSubnetGoesOnlyToTheCdnsServerNeverToRootTldOrShop() throws Exception {
    startResolver();
    Map<FixtureAuthority, Integer> before =
        internet.all().stream()
            .collect(Collectors.toMap(server -> server, server -> server.queriesWithEcs.get()));

    Message response = ask(NORTH_PHONE, "static.shop.example.", Type.A);

    assertThat(answer(response)).contains("shop.cdn.example. A " + FixtureInternet.NORTH_EDGE);
    for (FixtureAuthority server : List.of(internet.root, internet.example, internet.shop)) {
      assertThat(server.queriesWithEcs.get()).isEqualTo(before.get(server));
    }
    assertThat(internet.cdn.queriesWithEcs.get()).isGreaterThan(before.get(internet.cdn));
    assertThat(internet.cdn.lastEcs.get().getAddress().getHostAddress()).isEqualTo("127.1.1.0");
  }

  @Test
  void uncachedNamesGoOutFromRandomSourcePortsWithRandomIds() throws Exception {
    startResolver();
    ask(NORTH_PHONE, "www.shop.example.", Type.A); // the zone cut is cached: one query per name
    int first = internet.shop.udpSourcePorts.size();

    for (int i = 0; i < 20; i++) {
      ask(NORTH_PHONE, "uncached-" + i + ".shop.example.", Type.A);
    }

    List<Integer> ports = lastTwenty(internet.shop.udpSourcePorts, first);
    List<Integer> ids = lastTwenty(internet.shop.udpQueryIds, first);
    // RFC 5452: 20 random draws may collide once by chance (about 1 in 100 for ports), never
    // twice in practice; a counter or a fixed socket would give 1 distinct port or a narrow run.
    assertThat(ports.stream().distinct().count()).isGreaterThanOrEqualTo(19);
    assertThat(ids.stream().distinct().count()).isGreaterThanOrEqualTo(19);
    assertThat(spread(ports)).as("ports spread, not allocated in sequence").isGreaterThan(1000);
    assertThat(spread(ids)).as("IDs spread, not counted up").isGreaterThan(1000);
  }

  private static List<Integer> lastTwenty(List<Integer> seen, int from) {
    synchronized (seen) {
      assertThat(seen.size() - from).isEqualTo(20);
      return List.copyOf(seen.subList(from, seen.size()));
    }
  }

  private static int spread(List<Integer> values) {
    return values.stream().mapToInt(v -> v).max().orElseThrow()
        - values.stream().mapToInt(v -> v).min().orElseThrow();
  }

  @Test
  void qnameMinimisationTellsTheRootAndTheTldOnlyTheLabelTheyDelegate() throws Exception {
    startResolver();
    int root = internet.root.questions.size();
    int tld = internet.example.questions.size();
    int shop = internet.shop.questions.size();

    Message response = ask(NORTH_PHONE, "www.shop.example.", Type.A);

    assertThat(answer(response)).containsExactly("www.shop.example. A 127.28.0.80");
    assertThat(since(internet.root.questions, root)).containsExactly("example. A");
    assertThat(since(internet.example.questions, tld)).containsExactly("shop.example. A");
    assertThat(since(internet.shop.questions, shop)).containsExactly("www.shop.example. A");
  }

  @Test
  void withoutQnameMinimisationEveryServerHearsTheFullName() throws Exception {
    startResolver(
        config(
            List.of(FixtureInternet.ROOT),
            null,
            null,
            new Hardening(false, false, null, null, null)));
    int root = internet.root.questions.size();

    ask(NORTH_PHONE, "www.shop.example.", Type.A);

    assertThat(since(internet.root.questions, root)).containsExactly("www.shop.example. A");
  }

  @Test
  void minimisedNamesBelowAnEmptyNonTerminalStillResolve() throws Exception {
    startResolver();
    // deep.er.shop.example: "er.shop.example" exists only as an empty non-terminal (NODATA).
    Message response = ask(NORTH_PHONE, "deep.er.shop.example.", Type.A);
    assertThat(answer(response)).containsExactly("deep.er.shop.example. A 127.28.7.7");

    Message missing = ask(NORTH_PHONE, "no.such.deep.shop.example.", Type.A);
    assertThat(missing.getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void with0x20TheServerSeesRandomCaseAndTheClientItsOwn() throws Exception {
    startResolver(
        config(
            List.of(FixtureInternet.ROOT),
            null,
            null,
            new Hardening(true, false, null, null, null)));
    int shop = internet.shop.questions.size();

    Message response = ask(NORTH_PHONE, "static.shop.example.", Type.A);

    assertThat(answer(response))
        .containsExactly(
            "static.shop.example. CNAME shop.cdn.example.",
            "shop.cdn.example. A " + FixtureInternet.NORTH_EDGE);
    assertThat(response.getSection(Section.ANSWER).get(0).getName().toString())
        .isEqualTo("static.shop.example.");
    // 16 letters in random case: all lower by chance once in 65,536 tries.
    assertThat(since(internet.shop.questions, shop))
        .singleElement()
        .satisfies(q -> assertThat(q).isNotEqualTo("static.shop.example. A"))
        .satisfies(q -> assertThat(q).isEqualToIgnoringCase("static.shop.example. A"));
  }

  /** unbound's fallback: asked again in plain case, believed because both answers agree. */
  @Test
  void with0x20AServerThatDoesNotEchoTheCaseIsAskedAgainInPlainCase() throws Exception {
    startResolver(
        config(
            List.of(FixtureInternet.ROOT),
            null,
            null,
            new Hardening(true, false, null, null, null)));
    internet.shop.lowercasesQuestions = true;
    int shop = internet.shop.questions.size();
    try {
      Message response = ask(NORTH_PHONE, "www.shop.example.", Type.A);
      assertThat(answer(response)).containsExactly("www.shop.example. A 127.28.0.80");
    } finally {
      internet.shop.lowercasesQuestions = false;
    }
    // 13 letters in random case: all lower by chance once in 8,192 tries.
    List<String> asked = since(internet.shop.questions, shop);
    assertThat(asked).hasSize(2);
    assertThat(asked.get(0))
        .isNotEqualTo("www.shop.example. A")
        .isEqualToIgnoringCase("www.shop.example. A");
    assertThat(asked.get(1)).isEqualTo("www.shop.example. A");
  }

  @Test
  void with0x20ACapsExemptZoneIsAskedInPlainCaseOnly() throws Exception {
    startResolver(
        config(
            List.of(FixtureInternet.ROOT),
            null,
            null,
            new Hardening(true, false, null, null, List.of("shop.example"))));
    internet.shop.lowercasesQuestions = true;
    int shop = internet.shop.questions.size();
    try {
      assertThat(answer(ask(NORTH_PHONE, "www.shop.example.", Type.A)))
          .containsExactly("www.shop.example. A 127.28.0.80");
    } finally {
      internet.shop.lowercasesQuestions = false;
    }
    assertThat(since(internet.shop.questions, shop)).containsExactly("www.shop.example. A");
  }

  private static List<String> since(List<String> seen, int from) {
    synchronized (seen) {
      return List.copyOf(seen.subList(from, seen.size()));
    }
  }

  @Test
  void expiredAnswerIsServedStaleWhenNoAuthorityAnswers() throws Exception {
    startResolver(
        config(
            List.of(FixtureInternet.ROOT),
            null,
            new IterationLimits(200, 1000, 16, 8, 3, Edns.PAYLOAD_SIZE, null)));
    ask(NORTH_PHONE, "www.shop.example.", Type.A);
    clock.advance(Duration.ofSeconds(301)); // the A record (TTL 300) has expired
    Message stale;
    try {
      internet.all().forEach(server -> server.unansweredToCome.set(1_000));
      stale = ask(NORTH_PHONE, "www.shop.example.", Type.A);
    } finally {
      internet.all().forEach(server -> server.unansweredToCome.set(0));
    }

    assertThat(stale.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(stale)).containsExactly("www.shop.example. A 127.28.0.80");
    assertThat(stale.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(30);
    assertThat(metric("resolver_stale_answers")).isEqualTo(1);

    // Once the authorities are back, the answer is fresh again.
    Message fresh = ask(NORTH_PHONE, "www.shop.example.", Type.A);
    assertThat(fresh.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(300);
  }

  @Test
  void aSlowResolutionAnswersWithTheExpiredEntryAfterTheClientResponseTimer() throws Exception {
    cacheSettings = new CacheSettings(1 << 24, 1000, 86400, 3600, 86400L, 50L);
    // The shop's server will not answer; the resolver keeps asking for 8 s, longer than the
    // client's 6 s patience: only the client response timer (RFC 8767 5) gets it an answer.
    startResolver(
        config(
            List.of(FixtureInternet.ROOT),
            null,
            new IterationLimits(3000, 8000, 16, 8, 3, Edns.PAYLOAD_SIZE, null)));
    ask(NORTH_PHONE, "www.shop.example.", Type.A);
    clock.advance(Duration.ofSeconds(301)); // the A record (TTL 300) has expired
    int shopBefore = internet.shop.queries.get();
    Message early;
    try {
      internet.shop.unansweredToCome.set(1_000);
      early = ask(NORTH_PHONE, "www.shop.example.", Type.A);
    } finally {
      internet.shop.unansweredToCome.set(0);
    }

    assertThat(answer(early)).containsExactly("www.shop.example. A 127.28.0.80");
    assertThat(early.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(30);
    assertThat(metric("resolver_stale_answers")).isEqualTo(1);
    assertThat(internet.shop.queries.get()).isGreaterThan(shopBefore); // it did try to refresh
  }

  @Test
  void unreachableAuthoritiesWithNothingStaleStillGiveServfail() throws Exception {
    startResolver(
        config(
            List.of(FixtureInternet.ROOT),
            null,
            new IterationLimits(200, 1000, 16, 8, 3, Edns.PAYLOAD_SIZE, null)));
    ask(NORTH_PHONE, "www.shop.example.", Type.A);
    Message response;
    try {
      internet.all().forEach(server -> server.unansweredToCome.set(1_000));
      response = ask(NORTH_PHONE, "never-asked.shop.example.", Type.A);
    } finally {
      internet.all().forEach(server -> server.unansweredToCome.set(0));
    }
    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(metric("resolver_stale_answers")).isZero();
  }

  @Test
  void popularEntryIsRefreshedShortlyBeforeItExpires() throws Exception {
    startResolver();
    ask(NORTH_PHONE, "www.shop.example.", Type.A);
    int shopBefore = internet.shop.queries.get();

    clock.advance(Duration.ofSeconds(275)); // 25 s of 300 left: the last tenth
    Message nearlyExpired = ask(NORTH_PHONE, "www.shop.example.", Type.A);
    assertThat(nearlyExpired.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(25);
    await().atMost(Duration.ofSeconds(5)).until(() -> metric("resolver_prefetches") == 1);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> internet.shop.queries.get() == shopBefore + 1);

    clock.advance(Duration.ofSeconds(30)); // past the old expiry: the refreshed copy answers
    int upstream = internet.totalQueries();
    Message later = ask(NORTH_PHONE, "www.shop.example.", Type.A);
    assertThat(later.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(270);
    assertThat(internet.totalQueries()).isEqualTo(upstream);
  }

  @Test
  void aServerThatTimedOutIsAskedLastFromThenOn() throws Exception {
    startResolver();
    int dead = internet.twinDead.queries.get();
    int alive = internet.twinAlive.queries.get();

    for (String host : List.of("a", "b", "c", "d", "e")) {
      assertThat(ask(NORTH_PHONE, host + ".twin.example.", Type.A).getRcode())
          .isEqualTo(Rcode.NOERROR);
    }

    // The referral lists the dead server first: it costs one timeout, then its smoothed RTT
    // puts it behind the live one for the four names after.
    assertThat(internet.twinDead.queries.get() - dead).isEqualTo(1);
    assertThat(internet.twinAlive.queries.get() - alive).isEqualTo(5);
  }

  @Test
  void recordsOutsideTheServersBailiwickDoNotPoisonTheCache() throws Exception {
    startResolver();
    Name edge = Name.fromString("shop.cdn.example.");
    Name cdn = Name.fromString("cdn.example.");
    Name evilServer = Name.fromString("ns.evil.shop.example.");
    InetAddress evil = InetAddress.getByName("127.66.6.6");
    internet.shop.slippedIn.addAll(
        List.of(
            Map.entry(Section.ANSWER, new ARecord(edge, DClass.IN, 86400, evil)),
            Map.entry(Section.AUTHORITY, new NSRecord(cdn, DClass.IN, 86400, evilServer)),
            Map.entry(Section.ADDITIONAL, new ARecord(evilServer, DClass.IN, 86400, evil))));
    try {
      assertThat(answer(ask(NORTH_PHONE, "www.shop.example.", Type.A)))
          .containsExactly("www.shop.example. A 127.28.0.80");
    } finally {
      internet.shop.slippedIn.clear();
    }
    int cdnBefore = internet.cdn.queries.get();

    Message response = ask(NORTH_PHONE, "shop.cdn.example.", Type.A);

    assertThat(answer(response))
        .containsExactly("shop.cdn.example. A " + FixtureInternet.NORTH_EDGE);
    assertThat(internet.cdn.queries.get()).isGreaterThan(cdnBefore);
  }

  @Test
  void aCnameLoopEndsInServfailAfterABoundedNumberOfQueries() throws Exception {
    startResolver();
    ask(NORTH_PHONE, "www.shop.example.", Type.A); // zone cuts cached: only the loop is counted
    int before = internet.totalQueries();

    Message response = ask(NORTH_PHONE, "loop1.shop.example.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(
            resolver
                .registry()
                .get("resolver_servfails")
                .tag("cause", "cname-limit")
                .counter()
                .count())
        .isEqualTo(1);
    // maxCnameChain (8) links, one query each at most, plus the first.
    assertThat(internet.totalQueries() - before).isBetween(1, 10);
    assertThat(ask(NORTH_PHONE, "www.shop.example.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void malformedQueryGetsFormerrAndTheResolverKeepsServing() throws Exception {
    startResolver();
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(NORTH_PHONE))) {
      socket.setSoTimeout(5000);
      // A header that promises one question, then 3 bytes of a name that never ends.
      byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5, 'a', 'b'};
      socket.send(
          new DatagramPacket(
              garbage, garbage.length, new InetSocketAddress(RESOLVER, resolver.dnsPort())));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      socket.receive(reply);
      Message response = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(response.getHeader().getID()).isEqualTo(0x1234);
      assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
    }
    assertThat(answer(ask(NORTH_PHONE, "www.shop.example.", Type.A)))
        .containsExactly("www.shop.example. A 127.28.0.80");
  }

  /** RFC 9619: a query with two questions is FORMERR (as unbound answers), not its first one. */
  @Test
  void aQueryWithTwoQuestionsGetsFormerr() throws Exception {
    startResolver();
    Message twice = query("www.shop.example.", Type.A);
    twice.addRecord(
        Record.newRecord(Name.fromString("static.shop.example."), Type.A, DClass.IN),
        Section.QUESTION);
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(NORTH_PHONE))) {
      socket.setSoTimeout(5000);
      byte[] wire = twice.toWire();
      socket.send(
          new DatagramPacket(
              wire, wire.length, new InetSocketAddress(RESOLVER, resolver.dnsPort())));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      socket.receive(reply);
      Message response = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(response.getHeader().getID()).isEqualTo(twice.getHeader().getID());
      assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
      assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }
  }

  @Test
  void aClientOverItsRateIsRefusedUntilItsBucketRefills() throws Exception {
    clientQueriesPerSecond = 3;
    startResolver();
    for (int i = 0; i < 3; i++) {
      assertThat(ask(NORTH_PHONE, "www.shop.example.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    assertThat(ask(NORTH_PHONE, "www.shop.example.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ask(SOUTH_PHONE, "www.shop.example.", Type.A).getRcode())
        .as("another client has its own bucket")
        .isEqualTo(Rcode.NOERROR);
    assertThat(metric("resolver_rate_limited")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(ask(NORTH_PHONE, "www.shop.example.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
  }
}
