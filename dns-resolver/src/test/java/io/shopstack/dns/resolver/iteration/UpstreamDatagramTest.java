package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.shopstack.common.server.Transport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The bare upstream socket on a NIO loop and on a native epoll one, driven from a thread that is
 * not the loop's (as a test or dnsjava's TCP callback would): a real server's answer comes back, a
 * datagram that answers nothing is counted and the wait goes on, and a port nobody listens on fails
 * at once through ICMP, not after the (long) timeout. Forgeries are {@code SpoofingTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamDatagramTest {
  private static final long NEVER_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final InetSocketAddress SOURCE = new InetSocketAddress("127.0.0.1", 0);

  private final Map<Transport, MultiThreadIoEventLoopGroup> loops = new EnumMap<>(Transport.class);
  private final UnwantedReplies unwanted = new UnwantedReplies(0, () -> {});

  @AfterAll
  void stop() {
    loops.values().forEach(l -> l.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly());
  }

  private IoEventLoop loop(Transport transport) {
    return (IoEventLoop)
        loops
            .computeIfAbsent(
                transport, t -> new MultiThreadIoEventLoopGroup(1, t.ioHandlerFactory()))
            .next();
  }

  private static Message query() {
    return Message.newQuery(
        Record.newRecord(Name.fromConstantString("www.shop.example."), Type.A, DClass.IN));
  }

  private CompletableFuture<Message> ask(
      Transport transport, InetSocketAddress server, Message query) {
    CompletableFuture<Message> answer = new CompletableFuture<>();
    UpstreamDatagram.ask(
        loop(transport),
        new UpstreamDatagram.Request(
            StandardProtocolFamily.INET, SOURCE, server, query, NEVER_NANOS, unwanted, answer));
    return answer;
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theServersAnswerComesBackAfterADatagramThatAnswersNothing(Transport transport)
      throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      Message query = query();
      long unwantedBefore = unwanted.total();
      CompletableFuture<Message> answer =
          ask(transport, new InetSocketAddress("127.0.0.1", server.getLocalPort()), query);

      DatagramPacket asked = new DatagramPacket(new byte[512], 512);
      server.receive(asked);
      Message reply = new Message(java.util.Arrays.copyOf(asked.getData(), asked.getLength()));
      reply.getHeader().setFlag(Flags.QR);
      Message wrongId = reply.clone();
      wrongId.getHeader().setID(reply.getHeader().getID() ^ 1);
      for (Message sent : List.of(wrongId, reply)) {
        byte[] wire = sent.toWire();
        server.send(new DatagramPacket(wire, wire.length, asked.getSocketAddress()));
      }

      Message response = answer.get(30, TimeUnit.SECONDS);
      assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
      assertThat(response.getQuestion()).isEqualTo(query.getQuestion());
      assertThat(unwanted.total() - unwantedBefore).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPortNobodyListensOnFailsAtOnceNotAtTheTimeout(Transport transport) throws Exception {
    int closed;
    try (DatagramSocket gone = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      closed = gone.getLocalPort();
    }

    CompletableFuture<Message> answer =
        ask(transport, new InetSocketAddress("127.0.0.1", closed), query());

    assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PortUnreachableException.class);
  }
}
