package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.authoritative.answer.AuthoritativeHandler;
import io.shopstack.dns.server.Transport;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The transport replays prepared answers to plain queries. Each must be, byte for byte, what the
 * full path (dnsjava parse, zone lookup, encode) makes for that very query: same sections, same
 * truncation, the asker's ID, RD bit and letter case. And a reload must never let an old answer
 * through.
 */
class PreparedAnswerTest {
  @TempDir Path dir;
  private AuthoritativeServer server;
  private Path bigZone;

  /** EDNS variants a query can have; each may make a different answer. */
  private enum Edns {
    NONE,
    PLAIN,
    DNSSEC_OK,
    SMALL_PAYLOAD,
    COOKIE
  }

  private record Case(String name, int type, Edns edns) {}

  /**
   * Both transports, so the batched epoll path (recvmmsg into one pooled buffer, three sockets on
   * the port) is held to the same bytes as NIO.
   */
  private void start(String transport) throws Exception {
    start(transport, AuthoritativeConfig.RateLimit.OFF);
  }

  private void start(String transport, AuthoritativeConfig.RateLimit rrl) throws Exception {
    if (transport.equals("epoll")) {
      assertThat(io.shopstack.common.server.Transport.nativeIfAvailable())
          .as("native epoll loads here")
          .isEqualTo(io.shopstack.common.server.Transport.EPOLL);
    }
    bigZone = dir.resolve("big.test.zone");
    StringBuilder zone =
        new StringBuilder(
            "$ORIGIN big.test.\n$TTL 600\n@ IN SOA ns1 hostmaster 1 3600 900 604800 60\n"
                + "@ IN NS ns1\nns1 IN A 127.0.0.53\nwww IN A 127.0.0.80\n");
    for (int i = 0; i < 40; i++) {
      // 40 TXT records of ~50 bytes: too big for 512 or 1232 bytes, fine over TCP.
      zone.append("txt IN TXT \"record ").append(i).append(" of a set that needs TCP\"\n");
    }
    Files.writeString(bigZone, zone.toString());
    server =
        new AuthoritativeServer(
                TestDns.on(
                    TestDns.config(
                        "example.=classpath:zones/example.zone,"
                            + "shop.example.=classpath:zones/shop.example.zone,"
                            + "lab.test.=classpath:zones/lab.test.zone,"
                            + "big.test.="
                            + bigZone,
                        rrl,
                        AuthoritativeConfig.Transfer.DEFAULT,
                        0),
                    transport,
                    3))
            .start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    String[][] questions = {
      {"www.shop.example.", "A"}, // plain answer
      {"www.shop.example.", "AAAA"}, // NODATA
      {"nope.shop.example.", "A"}, // NXDOMAIN
      {"m.shop.example.", "A"}, // CNAME inside the zone
      {"shop.lab.test.", "A"}, // CNAME into another of our zones
      {"loop1.lab.test.", "A"}, // CNAME loop
      {"someone.users.lab.test.", "TXT"}, // wildcard: owner is the query name
      {"deep.lab.test.", "A"}, // empty non-terminal
      {"shop.example.", "MX"},
      {"shop.example.", "ANY"}, // RFC 8482 minimal answer
      {"x.cdn.example.", "A"}, // referral with glue
      {"www.elsewhere.invalid.", "A"}, // not ours: REFUSED
      {"txt.big.test.", "TXT"}, // truncated over UDP
    };
    for (String[] q : questions) {
      for (Edns edns : Edns.values()) {
        cases.add(new Case(q[0], Type.value(q[1]), edns));
      }
    }
    return cases;
  }

  private static Message query(Case c, int id, boolean recursionDesired, boolean upperCase)
      throws Exception {
    Message q = TestDns.query(mixCase(c.name(), upperCase), c.type());
    q.getHeader().setID(id);
    if (!recursionDesired) {
      q.getHeader().unsetFlag(Flags.RD);
    }
    switch (c.edns()) {
      case NONE -> {}
      case PLAIN -> q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
      case DNSSEC_OK ->
          q.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
      case SMALL_PAYLOAD -> q.addRecord(new OPTRecord(700, 0, 0), Section.ADDITIONAL);
      case COOKIE ->
          q.addRecord(
              new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(new byte[8]))),
              Section.ADDITIONAL);
    }
    return q;
  }

  /** 0x20: every other letter upper case, starting with the first or the second. */
  private static String mixCase(String name, boolean startUpper) {
    StringBuilder out = new StringBuilder();
    boolean upper = startUpper;
    for (char ch : name.toCharArray()) {
      if (Character.isLetter(ch)) {
        out.append(upper ? Character.toUpperCase(ch) : ch);
        upper = !upper;
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  /** What the full path makes of {@code query}: the handler's message, encoded within limits. */
  private byte[] fullPath(Message query, Transport transport) {
    Message response =
        new AuthoritativeHandler(server.zones(), null, io.shopstack.dns.edns.Edns.PAYLOAD_SIZE)
            .handle(query, new InetSocketAddress("127.0.0.1", 5353), transport)
            .toCompletableFuture()
            .join();
    OPTRecord opt = query.getOPT();
    int limit =
        transport == Transport.TCP
            ? 65535
            : opt == null
                ? 512
                : Math.max(
                    512, Math.min(opt.getPayloadSize(), io.shopstack.dns.edns.Edns.PAYLOAD_SIZE));
    return response.toWire(limit);
  }

  private byte[] exchange(Message query, Transport transport) throws Exception {
    return exchange(query, transport, "127.0.0.1");
  }

  /** One query over UDP from {@code from}, and the answer, or null when none comes. */
  private byte[] exchange(Message query, Transport transport, String from) throws Exception {
    byte[] wire = query.toWire();
    if (transport == Transport.UDP) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(from, 0))) {
        udp.setSoTimeout(2000);
        udp.send(
            new DatagramPacket(
                wire, wire.length, new InetSocketAddress("127.0.0.1", server.dnsPort())));
        DatagramPacket reply = new DatagramPacket(new byte[65535], 65535);
        try {
          udp.receive(reply);
        } catch (java.net.SocketTimeoutException dropped) {
          return null;
        }
        return java.util.Arrays.copyOf(reply.getData(), reply.getLength());
      }
    }
    try (Socket tcp = new Socket("127.0.0.1", server.dnsPort())) {
      tcp.setSoTimeout(2000);
      DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
      out.writeShort(wire.length);
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(tcp.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return answer;
    }
  }

  /**
   * The answer as the handler made it: a query with a client cookie gets our cookie appended to the
   * OPT by the transport (RFC 9018 server cookie, its timestamp and hash differ each second), so it
   * is checked for its layout here and taken off for the byte-for-byte comparison.
   */
  private static byte[] withoutOurCookie(byte[] answer, Case c) {
    if (c.edns() != Edns.COOKIE) {
      return answer;
    }
    int option = answer.length - 28;
    byte[] cookie = java.util.Arrays.copyOfRange(answer, option, answer.length);
    assertThat(java.util.Arrays.copyOfRange(cookie, 0, 16))
        .as("COOKIE, length 24, the client's 8 zero bytes, version 1 and 3 reserved bytes")
        .containsExactly(0, 10, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0);
    assertThat(answer[option - 2] << 8 | answer[option - 1]).as("OPT RDLENGTH").isEqualTo(28);
    byte[] bare = java.util.Arrays.copyOf(answer, option);
    bare[option - 2] = 0;
    bare[option - 1] = 0;
    return bare;
  }

  private double replayed() {
    return server.registry().get("dns_prepared_answers_replayed").functionCounter().count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void replayedAnswersAreByteForByteWhatTheFullPathMakes(String io) throws Exception {
    start(io);
    int id = 1;
    int cases = 0;
    for (Transport transport : Transport.values()) {
      for (Case c : cases()) {
        // RD set and RD clear have answers of their own (the zone's NS go with RD clear only).
        for (boolean recursionDesired : new boolean[] {true, false}) {
          // The first asker (lower/upper mix) fills the prepared answer; the second one (other
          // letters upper case, another ID) must get it, adapted to itself.
          Message first = query(c, id++, recursionDesired, false);
          assertThat(hex(withoutOurCookie(exchange(first, transport), c)))
              .as("%s over %s, RD %s, first", c, transport, recursionDesired)
              .isEqualTo(hex(fullPath(first, transport)));
          double before = replayed();
          Message second = query(c, id++, recursionDesired, true);
          byte[] replay = exchange(second, transport);
          assertThat(hex(withoutOurCookie(replay, c)))
              .as("%s over %s, RD %s, replayed", c, transport, recursionDesired)
              .isEqualTo(hex(fullPath(second, transport)));
          assertThat(replayed())
              .as("%s over %s, RD %s, came from the fast path", c, transport, recursionDesired)
              .isGreaterThan(before);
          assertThat(new Message(replay).getQuestion().getName().toString())
              .isEqualTo(mixCase(c.name(), true));
        }
        cases++;
      }
    }
    assertThat(cases).isEqualTo(2 * 13 * Edns.values().length);
  }

  @Test
  void truncationDependsOnTheAskersSizeNotOnWhoAskedFirst() throws Exception {
    start("auto");
    Case txt = new Case("txt.big.test.", Type.TXT, Edns.PLAIN);
    Message overTcp = new Message(exchange(query(txt, 1, true, false), Transport.TCP));
    Message overUdp = new Message(exchange(query(txt, 2, true, false), Transport.UDP));
    Message again = new Message(exchange(query(txt, 3, true, true), Transport.UDP));
    Message noEdns =
        new Message(
            exchange(
                query(new Case(txt.name(), Type.TXT, Edns.NONE), 4, true, false), Transport.UDP));
    assertThat(overTcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(overTcp.getSection(Section.ANSWER)).hasSize(40);
    assertThat(overUdp.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(again.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(again.getHeader().getID()).isEqualTo(3);
    assertThat(noEdns.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(noEdns.getOPT()).isNull();
  }

  @Test
  void aReloadReplacesEveryPreparedAnswer() throws Exception {
    start("auto");
    Case www = new Case("www.big.test.", Type.A, Edns.NONE);
    for (int i = 0; i < 3; i++) {
      Message m = new Message(exchange(query(www, 10 + i, true, i % 2 == 0), Transport.UDP));
      assertThat(TestDns.section(m, Section.ANSWER))
          .extracting(String::toLowerCase)
          .containsExactly("www.big.test. 600 a 127.0.0.80");
    }
    Files.writeString(
        bigZone,
        Files.readString(bigZone)
            .replace("127.0.0.80", "127.0.0.81")
            .replace(" 1 3600", " 2 3600"));
    assertThat(server.reload().ok()).isTrue();
    for (int i = 0; i < 3; i++) {
      Message m = new Message(exchange(query(www, 20 + i, true, i % 2 == 0), Transport.UDP));
      assertThat(TestDns.section(m, Section.ANSWER))
          .extracting(String::toLowerCase)
          .containsExactly("www.big.test. 600 a 127.0.0.81");
    }
  }

  /** What the full path answers when RRL slips: {@code Reply.to(query)} with TC, nothing else. */
  private static byte[] fullPathSlip(Message query) {
    Message slip = io.shopstack.dns.server.Reply.to(query);
    slip.getHeader().setFlag(Flags.TC);
    return slip.toWire();
  }

  private double counter(String name) {
    // The per-answer counts are summed at scrape time (function counters); the others are plain.
    var meter = server.registry().get(name);
    return name.equals("dns_prepared_answers_replayed")
        ? meter.functionCounter().count()
        : meter.counter().count();
  }

  /**
   * RRL on does not turn the fast path off: a prepared answer is charged to the asker's network
   * like any other, and once that is over its rate the replay turns into the slip the full path
   * makes, byte for byte. A query the fast path cannot take (an EDNS option other than a cookie) is
   * charged and slipped by the full path the same way.
   */
  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void rateLimitingChargesReplayedAnswersAndSlipsThemAsTheFullPathDoes(String transport)
      throws Exception {
    // One answer per second and every limited one slipped: a burst is one answer, then slips.
    start(transport, new AuthoritativeConfig.RateLimit(1, 5, 1));
    int id = 100;
    int slips = 0;
    int replayedAnswers = 0;
    for (Edns edns : Edns.values()) {
      Case c = new Case("www.shop.example.", Type.A, edns);
      // Prepared by a client of another /24, whose account is its own.
      Message first = query(c, id++, true, false);
      String preparer = "127.0." + (10 + edns.ordinal()) + ".1";
      assertThat(hex(withoutOurCookie(exchange(first, Transport.UDP, preparer), c)))
          .isEqualTo(hex(fullPath(first, Transport.UDP)));
      for (int i = 0; i < 4; i++) {
        double replayedBefore = counter("dns_prepared_answers_replayed");
        Message again = query(c, id++, i % 2 == 0, i % 2 == 1);
        byte[] answer = exchange(again, Transport.UDP, "127.0.0.1");
        assertThat(answer).as("slip 1 answers every query").isNotNull();
        if (hex(answer).equals(hex(fullPathSlip(again)))) {
          slips++;
        } else {
          assertThat(hex(withoutOurCookie(answer, c)))
              .as("%s over %s, not slipped", c, transport)
              .isEqualTo(hex(fullPath(again, Transport.UDP)));
          assertThat(counter("dns_prepared_answers_replayed")).isGreaterThan(replayedBefore);
          replayedAnswers++;
        }
      }
    }
    assertThat(replayedAnswers).as("the first answer of the burst is replayed").isPositive();
    assertThat(slips).as("the rest of each burst is slipped").isGreaterThanOrEqualTo(15);
    assertThat(counter("dns_rrl_slipped")).isEqualTo(slips);

    // Not a plain query (an NSID option): the full path is charged and slips alike.
    Message nsid = TestDns.query("www.shop.example.", Type.A);
    nsid.getHeader().setID(id);
    nsid.addRecord(
        new OPTRecord(
            1232,
            0,
            0,
            0,
            List.of(
                new org.xbill.DNS.GenericEDNSOption(
                    org.xbill.DNS.EDNSOption.Code.NSID, new byte[0]))),
        Section.ADDITIONAL);
    assertThat(hex(exchange(nsid, Transport.UDP, "127.0.0.1"))).isEqualTo(hex(fullPathSlip(nsid)));
    assertThat(counter("dns_rrl_slipped")).isEqualTo(slips + 1);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
