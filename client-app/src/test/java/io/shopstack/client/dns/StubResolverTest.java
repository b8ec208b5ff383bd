package io.shopstack.client.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.client.fixture.DnsFixture;
import io.shopstack.client.fixture.DnsTcpFixture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class StubResolverTest {
  private static final InetAddress CLIENT = address("127.0.0.9");
  private static final Name STATIC = name("static.shop.example.");
  private static final Name CDN = name("shop.cdn.example.");
  private static final Name WWW = name("www.shop.example.");

  @Test
  void reportsTheCnameChainIntoTheCdnAndSendsFromTheClientAddress() throws Exception {
    try (DnsFixture dns = new DnsFixture(StubResolverTest::shopZones)) {
      StubResolver resolver = new StubResolver(dns.address(), CLIENT, Duration.ofSeconds(3));

      DnsLookup lookup = resolver.lookup("static.shop.example", Type.A);

      assertThat(dns.queries())
          .singleElement()
          .satisfies(
              q -> {
                assertThat(q.source().getAddress()).isEqualTo(CLIENT);
                assertThat(q.message().getHeader().getFlag(Flags.RD)).isTrue();
                assertThat(q.message().getQuestion().getName()).isEqualTo(STATIC);
              });
      assertThat(lookup.rcode()).isEqualTo("NOERROR");
      assertThat(lookup.cnameChain()).containsExactly("static.shop.example.", "shop.cdn.example.");
      assertThat(lookup.hasCname()).isTrue();
      assertThat(lookup.addresses()).containsExactly("127.28.1.20");
      assertThat(lookup.recursionAvailable()).isTrue();
      assertThat(lookup.authoritative()).isFalse();
      // The socket's own end, which is what the resolver saw: address and port.
      assertThat(lookup.source()).isEqualTo(dns.queries().get(0).source());
      assertThat(lookup.transport()).isEqualTo("UDP");
    }
  }

  @Test
  void aWildcardBindReportsTheAddressTheKernelChoseNotTheWildcard() throws Exception {
    try (DnsFixture dns = new DnsFixture(StubResolverTest::shopZones)) {
      StubResolver resolver =
          new StubResolver(dns.address(), address("0.0.0.0"), Duration.ofSeconds(3));

      DnsLookup lookup = resolver.lookup("www.shop.example", Type.A);

      InetSocketAddress seen = dns.queries().get(0).source();
      assertThat(lookup.source()).isEqualTo(seen);
      assertThat(lookup.source().getAddress().isAnyLocalAddress()).isFalse();
      assertThat(resolver.source()).isEqualTo(seen.getAddress());
      assertThat(DigFormat.format(lookup))
          .contains("FROM: " + seen.getAddress().getHostAddress() + "#" + seen.getPort())
          .doesNotContain("0.0.0.0");
    }
  }

  @Test
  void aTruncatedAnswerIsAskedAgainOverTcpFromTheSameAddress() throws Exception {
    DnsFixture dns = new DnsFixture(StubResolverTest::truncated);
    DnsTcpFixture tcp = null;
    // The TCP side must listen on the UDP side's random port, which another process's TCP socket
    // may already hold: take another pair then (bounded).
    for (int attempt = 1; tcp == null; attempt++) {
      try {
        tcp = new DnsTcpFixture(dns.address(), StubResolverTest::shopZones);
      } catch (java.net.BindException taken) {
        dns.close();
        if (attempt == 5) {
          throw taken;
        }
        dns = new DnsFixture(StubResolverTest::truncated);
      }
    }
    try (DnsFixture udpSide = dns;
        DnsTcpFixture tcpSide = tcp) {
      DnsLookup lookup =
          new StubResolver(dns.address(), CLIENT, Duration.ofSeconds(3))
              .lookup("static.shop.example", Type.A);

      assertThat(lookup.transport()).isEqualTo("TCP");
      assertThat(lookup.addresses()).containsExactly("127.28.1.20");
      assertThat(tcp.clients()).singleElement().isEqualTo(lookup.source());
      assertThat(lookup.source().getAddress()).isEqualTo(CLIENT);
    }
  }

  @Test
  void aReplyWithTheWrongIdIsIgnoredAndTheRightOneTaken() throws Exception {
    try (DnsFixture dns =
        new DnsFixture(
            q -> {
              Message wrong = shopZones(q);
              wrong.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
              return wrong;
            })) {
      StubResolver resolver = new StubResolver(dns.address(), CLIENT, Duration.ofMillis(300));

      assertThatThrownBy(() -> resolver.lookup("www.shop.example", Type.A))
          .hasMessageContaining("no answer from resolver");
    }
  }

  @Test
  void aResolverThatIsDownIsNamedAsUnreachable() throws Exception {
    InetSocketAddress nobody;
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, address("127.0.0.1"))) {
      nobody = (InetSocketAddress) probe.getLocalSocketAddress();
    }
    StubResolver resolver = new StubResolver(nobody, CLIENT, Duration.ofSeconds(3));

    assertThatThrownBy(() -> resolver.lookup("www.shop.example", Type.A))
        .hasMessageContaining("resolver 127.0.0.1:" + nobody.getPort() + " unreachable");
  }

  @Test
  void printsTheAnswerSectionLikeDig() throws Exception {
    try (DnsFixture dns = new DnsFixture(StubResolverTest::shopZones)) {
      DnsLookup lookup =
          new StubResolver(dns.address(), CLIENT, Duration.ofSeconds(3))
              .lookup("static.shop.example", Type.A);

      String dig = DigFormat.format(lookup);

      assertThat(dig)
          .contains("status: NOERROR")
          .contains("flags: qr rd ra; ANSWER: 2")
          .containsPattern(";static\\.shop\\.example\\.\\s+IN\\s+A")
          .containsPattern(
              "(?m)^static\\.shop\\.example\\.\\s+300\\s+IN\\s+CNAME\\s+shop\\.cdn\\.example\\.$")
          .containsPattern("(?m)^shop\\.cdn\\.example\\.\\s+30\\s+IN\\s+A\\s+127\\.28\\.1\\.20$")
          .contains("SERVER: 127.0.0.1#" + dns.address().getPort() + " (UDP)")
          .contains("FROM: 127.0.0.9#" + lookup.source().getPort());
    }
  }

  @Test
  void aPlainAddressIsAChainOfOneName() throws Exception {
    try (DnsFixture dns = new DnsFixture(StubResolverTest::shopZones)) {
      DnsLookup lookup =
          new StubResolver(dns.address(), CLIENT, Duration.ofSeconds(3))
              .lookup("www.shop.example.", Type.A);

      assertThat(lookup.cnameChain()).containsExactly("www.shop.example.");
      assertThat(lookup.hasCname()).isFalse();
      assertThat(lookup.addresses()).containsExactly("127.28.0.80");
    }
  }

  @Test
  void nxdomainIsAnAnswerNotAnError() throws Exception {
    try (DnsFixture dns = new DnsFixture(StubResolverTest::shopZones)) {
      DnsLookup lookup =
          new StubResolver(dns.address(), CLIENT, Duration.ofSeconds(3))
              .lookup("nope.shop.example", Type.A);

      assertThat(lookup.rcode()).isEqualTo("NXDOMAIN");
      assertThat(lookup.addresses()).isEmpty();
      assertThat(DigFormat.format(lookup))
          .contains("status: NXDOMAIN")
          .doesNotContain("ANSWER SECTION");
    }
  }

  @Test
  void aCnameLoopEndsTheChainInsteadOfSpinning() throws Exception {
    Name a = name("a.shop.example.");
    Name b = name("b.shop.example.");
    try (DnsFixture dns =
        new DnsFixture(
            q ->
                DnsFixture.reply(
                    q,
                    Rcode.NOERROR,
                    new CNAMERecord(a, DClass.IN, 60, b),
                    new CNAMERecord(b, DClass.IN, 60, a)))) {
      DnsLookup lookup =
          new StubResolver(dns.address(), CLIENT, Duration.ofSeconds(3))
              .lookup("a.shop.example", Type.A);

      assertThat(lookup.cnameChain()).containsExactly("a.shop.example.", "b.shop.example.");
      assertThat(lookup.addresses()).isEmpty();
    }
  }

  @Test
  void aSilentResolverFailsWithinTheTimeoutAndIsNamed() throws Exception {
    try (DnsFixture dns = new DnsFixture(q -> null)) {
      StubResolver resolver = new StubResolver(dns.address(), CLIENT, Duration.ofMillis(300));
      long start = System.nanoTime();

      assertThatThrownBy(() -> resolver.lookup("www.shop.example", Type.A))
          .hasMessageContaining("no answer from resolver 127.0.0.1:" + dns.address().getPort())
          .hasMessageContaining("within 300 ms")
          .hasMessageContaining("from 127.0.0.9");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  /** A UDP reply that says only "too big, ask over TCP". */
  static Message truncated(Message query) {
    Message reply = DnsFixture.reply(query, Rcode.NOERROR);
    reply.getHeader().setFlag(Flags.TC);
    return reply;
  }

  /** The answers the journey's resolver would give, as one recursive resolver's view. */
  static Message shopZones(Message query) {
    Name qname = query.getQuestion().getName();
    if (qname.equals(STATIC)) {
      return DnsFixture.reply(
          query,
          Rcode.NOERROR,
          new CNAMERecord(STATIC, DClass.IN, 300, CDN),
          new ARecord(CDN, DClass.IN, 30, address("127.28.1.20")));
    }
    if (qname.equals(WWW)) {
      return DnsFixture.reply(
          query, Rcode.NOERROR, new ARecord(WWW, DClass.IN, 300, address("127.28.0.80")));
    }
    return DnsFixture.reply(query, Rcode.NXDOMAIN);
  }

  static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
