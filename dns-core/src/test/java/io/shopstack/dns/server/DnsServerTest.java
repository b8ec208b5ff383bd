package io.shopstack.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class DnsServerTest {
  private DnsServer server;

  /** A handler that answers every A query with 100 addresses: big enough to need TCP. */
  private static CompletableFuture<Message> manyAddresses(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    for (int i = 0; i < 100; i++) {
      response.addRecord(
          new ARecord(
              query.getQuestion().getName(),
              DClass.IN,
              60,
              new InetSocketAddress("127.0.0." + (i + 1), 0).getAddress()),
          Section.ANSWER);
    }
    return CompletableFuture.completedFuture(response);
  }

  @BeforeEach
  void start() throws Exception {
    server =
        new DnsServer(
                new DnsServer.Settings("test", new InetSocketAddress("127.0.0.1", 0)),
                (query, client, transport) -> {
                  if (query.getQuestion().getName().toString().equals("boom.test.")) {
                    throw new IllegalStateException("handler bug");
                  }
                  return manyAddresses(query);
                },
                new SimpleMeterRegistry())
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SimpleResolver resolver(boolean tcp) throws Exception {
    SimpleResolver r = new SimpleResolver(InetAddress.getByName("127.0.0.1"));
    r.setPort(server.port());
    r.setTCP(tcp);
    r.setIgnoreTruncation(true);
    r.setTimeout(Duration.ofSeconds(2));
    return r;
  }

  @Test
  void udpAnswerThatDoesNotFitIsTruncatedAndTcpCarriesItWhole() throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("big.test."), Type.A, 1));
    Message overUdp = resolver(false).send(query);
    assertThat(overUdp.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(overUdp.toWire().length).isLessThanOrEqualTo(512);

    Message overTcp = resolver(true).send(query);
    assertThat(overTcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(overTcp.getSection(Section.ANSWER)).hasSize(100);
  }

  @Test
  void garbageWithAHeaderGetsFormErrWithTheSameIdAndServerKeepsServing() throws Exception {
    byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x05, 0x00, 0x00, 0, 0, 0, 0, 0x3f, 0x01};
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(2000);
      socket.send(
          new DatagramPacket(
              garbage, garbage.length, InetAddress.getByName("127.0.0.1"), server.port()));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      socket.receive(reply);
      Message response = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(response.getHeader().getID()).isEqualTo(0x1234);
      assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
    }
    Message query = Message.newQuery(Record.newRecord(Name.fromString("ok.test."), Type.A, 1));
    assertThat(resolver(true).send(query).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void queryThatEndsBeforeItsQuestionIsFormErrEvenWithTheTcBitSet() throws Exception {
    // dnsjava's parser forgives a short message whose TC bit is set; we must not.
    byte[] cut = {0x0a, 0x0b, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0, 0, 0, 0, 0x03, 'w', 'w'};
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(2000);
      socket.send(
          new DatagramPacket(cut, cut.length, InetAddress.getByName("127.0.0.1"), server.port()));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      socket.receive(reply);
      Message response = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(response.getHeader().getID()).isEqualTo(0x0a0b);
      assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
    }
  }

  @Test
  void aResponseIsNeverAnsweredSoTwoServersCannotBeSetBouncingErrors() throws Exception {
    Message response = Message.newQuery(Record.newRecord(Name.fromString("ok.test."), Type.A, 1));
    response.getHeader().setFlag(Flags.QR);
    byte[] wire = response.toWire();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(500);
      socket.send(
          new DatagramPacket(wire, wire.length, InetAddress.getByName("127.0.0.1"), server.port()));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.receive(reply))
          .isInstanceOf(java.net.SocketTimeoutException.class);
    }
    Message query = Message.newQuery(Record.newRecord(Name.fromString("ok.test."), Type.A, 1));
    assertThat(resolver(false).send(query).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aHandlerThatThrowsAnswersServfailInsteadOfSilence() throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("boom.test."), Type.A, 1));
    for (boolean tcp : new boolean[] {false, true}) {
      Message answer = resolver(tcp).send(query);
      assertThat(answer.getRcode()).as(tcp ? "tcp" : "udp").isEqualTo(Rcode.SERVFAIL);
      assertThat(answer.getHeader().getID()).isEqualTo(query.getHeader().getID());
    }
  }
}
