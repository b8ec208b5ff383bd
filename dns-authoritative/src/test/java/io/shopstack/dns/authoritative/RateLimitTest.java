package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.MetricsScrape;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RRL on real sockets: a flooding /24 is cut down, TC slips invite TCP, others are untouched. */
class RateLimitTest {
  private static final int RATE = 5;

  @RegisterExtension
  static final ServedZones server =
      new ServedZones(
          TestDns.config(
              "shop.example.=classpath:zones/shop.example.zone",
              new AuthoritativeConfig.RateLimit(RATE, 5, 2),
              AuthoritativeConfig.Transfer.DEFAULT,
              0));

  /** Sends {@code n} queries from {@code from} as fast as possible and collects what comes back. */
  private static List<Message> burst(String from, int n) throws Exception {
    List<Message> answers = new ArrayList<>();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
      InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.dnsPort());
      for (int i = 0; i < n; i++) {
        Message query = TestDns.query("www.shop.example.", Type.A);
        query.getHeader().setID(i);
        byte[] wire = query.toWire();
        socket.send(new DatagramPacket(wire, wire.length, to));
      }
      socket.setSoTimeout(700);
      byte[] buffer = new byte[1500];
      while (true) {
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(reply);
        } catch (SocketTimeoutException quiet) {
          return answers;
        }
        answers.add(new Message(Arrays.copyOf(reply.getData(), reply.getLength())));
      }
    }
  }

  private static boolean slipped(Message m) {
    return m.getHeader().getFlag(Flags.TC) && m.getSection(Section.ANSWER).isEmpty();
  }

  @Test
  void floodFromOneSlash24IsDroppedOrSlippedWhileOthersAndTcpAreServed() throws Exception {
    List<Message> flood = burst("127.0.0.1", 40);
    long full = flood.stream().filter(m -> !m.getSection(Section.ANSWER).isEmpty()).count();
    long slips = flood.stream().filter(RateLimitTest::slipped).count();
    long dropped = 40 - flood.size();
    assertThat(full).as("one second's worth answered").isBetween((long) RATE, RATE + 3L);
    assertThat(slips).as("every 2nd limited answer slips").isBetween(14L, 18L);
    assertThat(dropped).as("the rest dropped").isBetween(14L, 18L);
    assertThat(flood).allSatisfy(m -> assertThat(m.getHeader().getFlag(Flags.QR)).isTrue());

    // A client in another /24 has its own account.
    List<Message> neighbour = burst("127.0.1.1", 3);
    assertThat(neighbour)
        .hasSize(3)
        .allSatisfy(m -> assertThat(m.getSection(Section.ANSWER)).hasSize(1));

    // The flooded /24 still gets full answers over TCP, where RRL never applies.
    Message overTcp = TestDns.ask(server.dnsPort(), true, "www.shop.example.", Type.A);
    assertThat(TestDns.section(overTcp, Section.ANSWER))
        .containsExactly("www.shop.example. 300 A 127.28.0.80");

    MetricsScrape metrics = MetricsScrape.of(server.adminPort());
    assertThat(metrics.value("dns_rrl_dropped_total", Map.of("instance", "test")))
        .isEqualTo(dropped);
    assertThat(metrics.value("dns_rrl_slipped_total", Map.of("instance", "test"))).isEqualTo(slips);
  }
}
