package io.shopstack.dns.resolver.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.edns.Edns;
import io.shopstack.dns.resolver.cache.CachedAnswer;
import io.shopstack.dns.resolver.ecs.ClientSubnet;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
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
 * The cache-hit fast path against the slow path it replaces, byte for byte: an answer replayed from
 * an entry's kept encoding must be exactly what dnsjava encodes for the same query, whatever the
 * ID, the letter case of the question, RD, EDNS, a server cookie added afterwards or a size limit
 * that truncates.
 */
class PreparedResponseTest {
  private static final Name WWW = Name.fromConstantString("www.shop.example.");
  private static final Name STATIC = Name.fromConstantString("static.shop.example.");

  private static Message query(int id, String name, int type, boolean rd, boolean edns)
      throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setID(id);
    if (!rd) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    if (edns) {
      query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return query;
  }

  private static CachedAnswer entry(String kind) throws Exception {
    return switch (kind) {
      case "addresses" -> {
        RRset rrset = new RRset(a(WWW, "127.28.0.80", 287));
        rrset.addRR(a(WWW, "127.28.0.81", 287));
        yield CachedAnswer.positive(rrset, 0);
      }
      case "alias" ->
          CachedAnswer.positive(
              new RRset(
                  new CNAMERecord(STATIC, DClass.IN, 3599, Name.fromString("Shop.CDN.example."))),
              0);
      case "nxdomain" ->
          CachedAnswer.negative(
              Rcode.NXDOMAIN,
              new SOARecord(
                  Name.fromString("shop.example."),
                  DClass.IN,
                  59,
                  Name.fromString("ns.shop.example."),
                  Name.fromString("hostmaster.shop.example."),
                  1,
                  3600,
                  900,
                  604800,
                  60),
              0);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static ARecord a(Name name, String address, long ttl) throws Exception {
    return new ARecord(name, DClass.IN, ttl, InetAddress.getByName(address));
  }

  /** What the slow path answers: the response the full resolution path builds for this hit. */
  private static Message slowPath(Message query, CachedAnswer hit) {
    List<RRset> answer = hit.isNegative() ? List.of() : List.of(hit.records());
    List<RRset> authority = hit.isNegative() ? List.of(new RRset(hit.soa())) : List.of();
    ClientSubnet subnet = ClientSubnet.of(query, InetAddress.getLoopbackAddress(), 24, 56);
    return RecursiveQueryHandler.response(query, hit.rcode(), answer, authority, subnet, 0);
  }

  @ParameterizedTest(name = "{0} {1} rd={3} edns={4}")
  @CsvSource({
    "addresses, WwW.ShOp.eXaMpLe., A, true, true",
    "addresses, www.shop.example., A, false, true",
    "addresses, WWW.SHOP.EXAMPLE., A, true, false",
    "alias, Static.Shop.Example., CNAME, true, true",
    "nxdomain, NoSuch.shop.EXAMPLE., A, true, true",
    "nxdomain, nosuch.shop.example., A, false, false",
  })
  void replayedAnswersEqualTheSlowPathByteForByte(
      String kind, String askedAs, String type, boolean rd, boolean edns) throws Exception {
    CachedAnswer hit = entry(kind);
    int t = Type.value(type);
    // The first asker's answer is encoded by dnsjava and kept; the second one is replayed.
    byte[] first =
        RecursiveQueryHandler.cacheHit(query(1, askedAs.toLowerCase(), t, rd, edns), hit)
            .toWire(65535);
    Message second = query(40000, askedAs, t, rd, edns);

    byte[] replayed = RecursiveQueryHandler.cacheHit(second, hit).toWire(65535);

    assertThat(hit.wireForms().get((rd ? 1 : 0) | (edns ? 2 : 0)).wire()).isSameAs(first);
    assertThat(replayed).isNotSameAs(first).isEqualTo(slowPath(second, hit).toWire(65535));
    assertThat(new Message(replayed).getQuestion().getName().toString()).isEqualTo(askedAs);
  }

  /**
   * Each combination of DO and CD in turn, twice: the replay is the slow path's bytes each time.
   */
  @Test
  void signaturesAndCheckingDisabledHaveTheirOwnShapes() throws Exception {
    RRset signed = new RRset(a(WWW, "127.28.0.80", 287));
    signed.addRR(
        new RRSIGRecord(
            WWW,
            DClass.IN,
            287,
            Type.A,
            13,
            3600,
            Instant.parse("2036-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:00:00Z"),
            4242,
            Name.fromString("shop.example."),
            new byte[64]));
    CachedAnswer hit = CachedAnswer.positive(signed, 0);
    for (int round = 0; round < 2; round++) {
      for (boolean dnssecOk : new boolean[] {false, true}) {
        for (boolean checkingDisabled : new boolean[] {false, true}) {
          Message query = query(100 + round, "www.shop.example.", Type.A, true, false);
          query.addRecord(
              new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
          if (checkingDisabled) {
            query.getHeader().setFlag(Flags.CD);
          }
          byte[] replayed = RecursiveQueryHandler.cacheHit(query, hit).toWire(65535);
          assertThat(replayed)
              .as("DO %s CD %s round %d", dnssecOk, checkingDisabled, round)
              .isEqualTo(slowPath(query, hit).toWire(65535));
          Message response = new Message(replayed);
          assertThat(response.getSection(Section.ANSWER)).hasSize(dnssecOk ? 2 : 1);
          assertThat(response.getHeader().getFlag(Flags.CD)).isEqualTo(checkingDisabled);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"addresses", "nxdomain"})
  void aServerCookieAddedByTheTransportIsEncodedToo(String kind) throws Exception {
    CachedAnswer hit = entry(kind);
    RecursiveQueryHandler.cacheHit(query(1, "www.shop.example.", Type.A, true, true), hit)
        .toWire(65535);
    Message second = query(2, "www.shop.example.", Type.A, true, true);
    Message prepared = RecursiveQueryHandler.cacheHit(second, hit);
    Message plain = slowPath(second, hit);
    for (Message response : List.of(prepared, plain)) {
      OPTRecord opt = response.getOPT();
      response.removeRecord(opt, Section.ADDITIONAL);
      response.addRecord(
          new OPTRecord(
              Edns.PAYLOAD_SIZE,
              0,
              0,
              0,
              List.of(new org.xbill.DNS.CookieOption(new byte[8], new byte[16]))),
          Section.ADDITIONAL);
    }

    assertThat(prepared.toWire(65535)).isEqualTo(plain.toWire(65535));
  }

  @ParameterizedTest(name = "limit {0}")
  @CsvSource({"40", "60"})
  void aLimitTheKeptBytesDoNotFitIsLeftToDnsjava(int limit) throws Exception {
    CachedAnswer hit = entry("addresses");
    RecursiveQueryHandler.cacheHit(query(1, "www.shop.example.", Type.A, true, true), hit)
        .toWire(65535);
    Message second = query(2, "www.shop.example.", Type.A, true, true);

    assertThat(RecursiveQueryHandler.cacheHit(second, hit).toWire(limit))
        .isEqualTo(slowPath(second, hit).toWire(limit));
  }
}
