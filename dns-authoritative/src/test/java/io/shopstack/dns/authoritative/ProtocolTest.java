package io.shopstack.dns.authoritative;

import static io.shopstack.dns.authoritative.TestDns.query;
import static io.shopstack.dns.authoritative.TestDns.resolver;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The header and EDNS rules every answer follows, whatever the zone says. */
class ProtocolTest {
  @RegisterExtension
  static final ServedZones server =
      new ServedZones("shop.example.=classpath:zones/shop.example.zone");

  private static Message send(Message query, boolean tcp) throws Exception {
    return resolver(server.dnsPort(), tcp).send(query);
  }

  @Test
  void nameOutsideOurZonesIsRefused() throws Exception {
    Message m = send(query("www.elsewhere.test.", Type.A), false);
    assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void zoneTransferOverUdpIsRefusedAndChaosClassToo() throws Exception {
    // dnsjava's resolver would switch an AXFR to TCP itself, so the datagram is sent by hand.
    byte[] axfr = query("shop.example.", Type.AXFR).toWire();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(2000);
      socket.send(
          new DatagramPacket(
              axfr, axfr.length, InetAddress.getLoopbackAddress(), server.dnsPort()));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      socket.receive(reply);
      Message m = new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
      assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }
    // CHAOS names other than the server's identity (DigTest) are not ours either.
    Message chaos =
        Message.newQuery(Record.newRecord(Name.fromString("authors.bind."), Type.TXT, DClass.CH));
    assertThat(send(chaos, false).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void opcodeOtherThanQueryIsNotImplemented() throws Exception {
    Message notify = query("shop.example.", Type.SOA);
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    Message m = send(notify, false);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(m.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
  }

  @Test
  void questionCountOtherThanOneIsFormErrAndTheServerGoesOn() throws Exception {
    Message empty = new Message(0x4242);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(2000);
      byte[] wire = empty.toWire();
      socket.send(
          new DatagramPacket(
              wire, wire.length, InetAddress.getLoopbackAddress(), server.dnsPort()));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      socket.receive(reply);
      Message m = new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(m.getHeader().getID()).isEqualTo(0x4242);
      assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
    }
    assertThat(send(query("www.shop.example.", Type.A), false).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void questionIsEchoedInTheClientsLetterCase() throws Exception {
    Message m = send(query("wWw.ShOp.ExAmPlE.", Type.A), false);
    assertThat(m.getQuestion().getName().toString()).isEqualTo("wWw.ShOp.ExAmPlE.");
    assertThat(m.getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void ednsQueryGetsOurOptWithPayload1232AndDoCopied() throws Exception {
    Message q = query("www.shop.example.", Type.A);
    q.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    OPTRecord opt = send(q, false).getOPT();
    assertThat(opt).isNotNull();
    assertThat(opt.getPayloadSize()).isEqualTo(1232);
    assertThat(opt.getVersion()).isZero();
    assertThat(opt.getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
  }

  @Test
  void queryWithoutEdnsGetsNoOpt() throws Exception {
    SimpleResolver plain = resolver(server.dnsPort(), false);
    plain.setEDNS(-1); // dnsjava adds EDNS(0) unless told not to
    Message m = plain.send(query("www.shop.example.", Type.A));
    assertThat(m.getSection(Section.ANSWER)).hasSize(1);
    assertThat(m.getOPT()).isNull();
  }

  @Test
  void unknownOptionsAndClientSubnetAreNotEchoedByAPlainZoneServer() throws Exception {
    Message q = query("www.shop.example.", Type.A);
    List<EDNSOption> options =
        List.of(
            new GenericEDNSOption(65001, new byte[] {1, 2, 3}),
            new ClientSubnetOption(24, InetAddress.getByName("127.28.1.0")));
    q.addRecord(new OPTRecord(1232, 0, 0, 0, options), Section.ADDITIONAL);
    Message m = send(q, true);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getOPT().getOptions()).isEmpty();
  }

  @Test
  void ednsVersionOneIsBadvers() throws Exception {
    Message q = query("www.shop.example.", Type.A);
    q.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    Message m = send(q, false);
    assertThat(m.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(m.getOPT().getVersion()).isZero();
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
  }
}
