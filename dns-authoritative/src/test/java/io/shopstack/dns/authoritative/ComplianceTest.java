package io.shopstack.dns.authoritative;

import static io.shopstack.dns.authoritative.TestDns.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What an outside compliance run (ISC genreport, compared with NSD and BIND) found, each case sent
 * as the exact datagram a checker sends and judged on the answer's wire.
 */
class ComplianceTest {
  @RegisterExtension
  static final ServedZones server =
      new ServedZones("shop.example.=classpath:zones/shop.example.zone");

  private static Message exchange(byte[] wire) throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(2000);
      socket.send(
          new DatagramPacket(
              wire, wire.length, InetAddress.getLoopbackAddress(), server.dnsPort()));
      DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
      socket.receive(reply);
      return new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
    }
  }

  private static Message withOpt(Message query) {
    query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    return query;
  }

  /** The query's wire with one more additional record appended as raw bytes. */
  private static byte[] withRawAdditional(Message query, byte[] record) {
    byte[] wire = query.toWire();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(wire, 0, wire.length);
    out.write(record, 0, record.length);
    byte[] patched = out.toByteArray();
    int additional = ((patched[10] & 0xff) << 8 | (patched[11] & 0xff)) + 1;
    patched[10] = (byte) (additional >> 8);
    patched[11] = (byte) additional;
    return patched;
  }

  @Test
  void rdIsCopiedForQueriesOnly() throws Exception {
    Message normal = query("www.shop.example.", Type.A); // newQuery sets RD
    assertThat(exchange(normal.toWire()).getHeader().getFlag(Flags.RD)).isTrue();

    Message notify = withOpt(query("shop.example.", Type.SOA));
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    notify.getHeader().setFlag(Flags.RD);
    Message m = exchange(notify.toWire());
    assertThat(m.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(m.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
    assertThat(m.getHeader().getFlag(Flags.RD)).as("RD in a NOTIFY answer").isFalse();
  }

  @Test
  void rdIsNotCopiedIntoTheFormErrForAnUnparseableNonQuery() throws Exception {
    // opcode 2 (STATUS) with RD, question count 5 and nothing after the header.
    byte[] garbage = {0x12, 0x34, 0x11, 0x00, 0x00, 0x05, 0x00, 0x00, 0, 0, 0, 0};
    Message m = exchange(garbage);
    assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(m.getHeader().getFlag(Flags.RD)).isFalse();
  }

  @Test
  void opcodesWeDoNotKnowAreNotImpWithAnEmptyQuestionSectionAsNsdAndBindAnswer() throws Exception {
    // dig +opcode=status / iquery / 3 / 15 against NSD 4.6 and BIND 9.18: NOTIMP, QUERY: 0 (BIND
    // keeps its OPT). NOTIFY and UPDATE are opcodes we know: their question (zone) stays.
    for (int opcode : new int[] {Opcode.IQUERY, Opcode.STATUS, 3, 6, 15}) {
      Message query = withOpt(query("shop.example.", Type.SOA));
      query.getHeader().setOpcode(opcode);
      Message m = exchange(query.toWire());
      assertThat(m.getRcode()).as("opcode %d", opcode).isEqualTo(Rcode.NOTIMP);
      assertThat(m.getHeader().getOpcode()).isEqualTo(opcode);
      assertThat(m.getHeader().getCount(Section.QUESTION)).as("opcode %d", opcode).isZero();
      assertThat(m.getOPT()).as("opcode %d", opcode).isNotNull();
    }
    for (int opcode : new int[] {Opcode.NOTIFY, Opcode.UPDATE}) {
      Message query = query("shop.example.", Type.SOA);
      query.getHeader().setOpcode(opcode);
      Message m = exchange(query.toWire());
      assertThat(m.getRcode()).isEqualTo(Rcode.NOTIMP);
      assertThat(m.getQuestion().getName()).isEqualTo(Name.fromString("shop.example."));
    }
  }

  @Test
  void notImpAndFormErrCarryOurOptWhenTheQueryHadOne() throws Exception {
    Message status = withOpt(query("shop.example.", Type.SOA));
    status.getHeader().setOpcode(Opcode.STATUS);
    Message notImp = exchange(status.toWire());
    assertThat(notImp.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(notImp.getOPT()).as("OPT in NOTIMP").isNotNull();
    assertThat(notImp.getOPT().getPayloadSize()).isEqualTo(1232);

    Message twoQuestions = withOpt(query("www.shop.example.", Type.A));
    twoQuestions.addRecord(
        Record.newRecord(Name.fromString("shop.example."), Type.SOA, 1), Section.QUESTION);
    Message formErr = exchange(twoQuestions.toWire());
    assertThat(formErr.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(formErr.getOPT()).as("OPT in FORMERR").isNotNull();
  }

  @Test
  void anOptNotOwnedByTheRootIsFormErr() throws Exception {
    // owner "a.", TYPE 41, CLASS 1232, TTL 0, RDLENGTH 0
    byte[] opt = {1, 'a', 0, 0, 41, 0x04, (byte) 0xd0, 0, 0, 0, 0, 0, 0};
    Message m = exchange(withRawAdditional(query("www.shop.example.", Type.A), opt));
    assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(m.getOPT()).isNull();
  }

  @Test
  void twoOptRecordsAreFormErr() throws Exception {
    Message q = withOpt(withOpt(query("www.shop.example.", Type.A)));
    Message m = exchange(q.toWire());
    assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void aCookieOptionOfImpossibleLengthIsFormErr() throws Exception {
    // RFC 7873 5.2.2: a client cookie is 8 bytes, a server cookie 8 to 32 more; 5 is neither.
    byte[] opt = {0, 0, 41, 0x04, (byte) 0xd0, 0, 0, 0, 0, 0, 9, 0, 10, 0, 5, 1, 2, 3, 4, 5};
    Message m = exchange(withRawAdditional(query("www.shop.example.", Type.A), opt));
    assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    // As BIND: the question and an OPT, or a resolver concludes we do not speak EDNS at all.
    assertThat(m.getQuestion().getName()).isEqualTo(Name.fromString("www.shop.example."));
    assertThat(m.getOPT()).as("OPT in the FORMERR").isNotNull();
    assertThat(m.getOPT().getOptions()).isEmpty();
  }

  @Test
  void aMalformedCookieIsFormErrEvenWithAnotherEdnsVersion() throws Exception {
    // Version 1 (the TTL's second byte) and a 5-byte cookie: BIND answers FORMERR with its OPT.
    byte[] opt = {0, 0, 41, 0x04, (byte) 0xd0, 0, 1, 0, 0, 0, 9, 0, 10, 0, 5, 1, 2, 3, 4, 5};
    Message m = exchange(withRawAdditional(query("www.shop.example.", Type.A), opt));
    assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(m.getQuestion()).isNotNull();
    assertThat(m.getOPT().getVersion()).isZero();
  }

  @Test
  void aQueryWithoutQuestionButWithACookieGetsOurServerCookie() throws Exception {
    // RFC 7873 5.4: QDCOUNT 0, an OPT with only a client cookie; NOERROR with the cookie back.
    byte[] clientCookie = {1, 2, 3, 4, 5, 6, 7, 8};
    Message q = new Message(0x4321);
    q.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(clientCookie))), Section.ADDITIONAL);
    Message m = exchange(q.toWire());
    assertThat(m.getHeader().getID()).isEqualTo(0x4321);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getCount(Section.QUESTION)).isZero();
    serverCookieOf(m, clientCookie);

    // Without a cookie, no question is still a malformed query.
    Message bare = new Message(0x4322);
    bare.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    assertThat(exchange(bare.toWire()).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  private static byte[] serverCookieOf(Message answer, byte[] clientCookie) {
    List<EDNSOption> cookies = answer.getOPT().getOptions(EDNSOption.Code.COOKIE);
    assertThat(cookies).as("COOKIE options in the answer").hasSize(1);
    CookieOption cookie = (CookieOption) cookies.get(0);
    assertThat(cookie.getClientCookie()).isEqualTo(clientCookie);
    byte[] server = cookie.getServerCookie().orElseThrow();
    assertThat(server).hasSize(16);
    assertThat(Arrays.copyOfRange(server, 0, 4))
        .as("RFC 9018 version 1")
        .containsExactly(1, 0, 0, 0);
    return server;
  }

  @Test
  void aClientCookieIsAnsweredWithItAndAServerCookieOnEveryPath() throws Exception {
    byte[] clientCookie = {9, 8, 7, 6, 5, 4, 3, 2};
    for (int i = 0; i < 3; i++) { // the first answer is computed, the later ones replayed
      Message q = query("www.shop.example.", Type.A);
      q.addRecord(
          new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(clientCookie))),
          Section.ADDITIONAL);
      Message m = exchange(q.toWire());
      assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(m.getSection(Section.ANSWER)).hasSize(1);
      serverCookieOf(m, clientCookie);
    }
    Message overTcp = query("www.shop.example.", Type.A);
    overTcp.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(clientCookie))), Section.ADDITIONAL);
    serverCookieOf(TestDns.resolver(server.dnsPort(), true).send(overTcp), clientCookie);

    // An error answer carries the cookie too, and a query without one gets none.
    Message status = query("shop.example.", Type.SOA);
    status.getHeader().setOpcode(Opcode.STATUS);
    status.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(clientCookie))), Section.ADDITIONAL);
    serverCookieOf(exchange(status.toWire()), clientCookie);
    assertThat(exchange(withOpt(query("www.shop.example.", Type.A)).toWire()).getOPT().getOptions())
        .isEmpty();
  }
}
