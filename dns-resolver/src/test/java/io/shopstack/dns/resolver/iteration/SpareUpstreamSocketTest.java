package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.shopstack.common.server.Transport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * On native epoll, the next upstream query's socket is made ahead on its loop once an answer is in,
 * is still bound to its own random port when its query goes out, and is closed with its loop.
 */
class SpareUpstreamSocketTest {
  private final UnwantedReplies unwanted = new UnwantedReplies(0, () -> {});

  @Test
  void eachQueryStillBindsItsOwnPortAndTheSpareClosesWithItsLoop() throws Exception {
    int before = EpollUpstreamSocket.sparesOpen();
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(1, Transport.EPOLL.ioHandlerFactory());
    Set<Integer> sourcePorts = new HashSet<>();
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      InetSocketAddress serverAddress = new InetSocketAddress("127.0.0.1", server.getLocalPort());
      for (int i = 0; i < 3; i++) {
        CompletableFuture<Message> answer = ask((IoEventLoop) group.next(), serverAddress);
        DatagramPacket asked = new DatagramPacket(new byte[512], 512);
        server.receive(asked);
        sourcePorts.add(asked.getPort());
        Message reply = new Message(Arrays.copyOf(asked.getData(), asked.getLength()));
        reply.getHeader().setFlag(Flags.QR);
        byte[] wire = reply.toWire();
        server.send(new DatagramPacket(wire, wire.length, asked.getSocketAddress()));
        // Not get(): a thread waiting in get() runs the future's remaining callbacks itself, and
        // the socket would then close on this thread, which keeps no spare.
        await().atMost(Duration.ofSeconds(30)).until(answer::isDone);
        // The answered query's socket closes on the loop after the answer: then the spare is made.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> EpollUpstreamSocket.sparesOpen() == before + 1);
        assertThat(answer.getNow(null).getHeader().getFlag(Flags.QR)).isTrue();
      }
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    assertThat(sourcePorts).as("a fresh random port per query").hasSize(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> EpollUpstreamSocket.sparesOpen() == before);
  }

  private CompletableFuture<Message> ask(IoEventLoop loop, InetSocketAddress server) {
    Message query =
        QueryIds.newQuery(
            Record.newRecord(Name.fromConstantString("www.shop.example."), Type.A, DClass.IN));
    CompletableFuture<Message> answer = new CompletableFuture<>();
    // Asked from the loop itself, as the resolver does: a spare is only taken on a loop's thread.
    loop.execute(
        () ->
            UpstreamDatagram.ask(
                loop,
                new UpstreamDatagram.Request(
                    StandardProtocolFamily.INET,
                    new InetSocketAddress("127.0.0.1", 0),
                    server,
                    query,
                    TimeUnit.SECONDS.toNanos(60),
                    unwanted,
                    answer)));
    return answer;
  }
}
