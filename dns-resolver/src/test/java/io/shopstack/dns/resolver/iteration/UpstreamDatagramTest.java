package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The bare upstream socket on a NIO loop, driven from a thread that is not the loop's (as a test or
 * dnsjava's TCP callback would): a real server's answer comes back, and a port nobody listens on
 * fails at once through ICMP, not after the (long) timeout. Forgeries are {@code SpoofingTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamDatagramTest {
  private static final long NEVER_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final InetSocketAddress SOURCE = new InetSocketAddress("127.0.0.1", 0);

  private final MultiThreadIoEventLoopGroup loops =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final UnwantedReplies unwanted = new UnwantedReplies(0, () -> {});

  @AfterAll
  void stop() {
    loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static Message query() {
    return Message.newQuery(
        Record.newRecord(Name.fromConstantString("www.shop.example."), Type.A, DClass.IN));
  }

  private CompletableFuture<Message> ask(InetSocketAddress server, Message query) {
    CompletableFuture<Message> answer = new CompletableFuture<>();
    UpstreamDatagram.ask(
        (IoEventLoop) loops.next(),
        new UpstreamDatagram.Request(
            StandardProtocolFamily.INET, SOURCE, server, query, NEVER_NANOS, unwanted, answer));
    return answer;
  }

  @Test
  void theServersAnswerComesBack() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      Message query = query();
      CompletableFuture<Message> answer =
          ask(new InetSocketAddress("127.0.0.1", server.getLocalPort()), query);

      DatagramPacket asked = new DatagramPacket(new byte[512], 512);
      server.receive(asked);
      Message reply = new Message(asked.getData());
      reply.getHeader().setFlag(Flags.QR);
      byte[] wire = reply.toWire();
      server.send(new DatagramPacket(wire, wire.length, asked.getSocketAddress()));

      Message response = answer.get(30, TimeUnit.SECONDS);
      assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
      assertThat(response.getQuestion()).isEqualTo(query.getQuestion());
    }
  }

  @Test
  void aPortNobodyListensOnFailsAtOnceNotAtTheTimeout() throws Exception {
    int closed;
    try (DatagramSocket gone = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      closed = gone.getLocalPort();
    }

    CompletableFuture<Message> answer = ask(new InetSocketAddress("127.0.0.1", closed), query());

    assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PortUnreachableException.class);
  }
}
