package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.Epoll;
import io.shopstack.common.server.AcceptBatch;
import io.shopstack.common.testing.BusyLoops;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client whose request came with its connection is read in the loop turn that accepted it when
 * that turn emptied the accept queue (proxy.SpeculativeReads), and in the next turn when the turn
 * took a full batch (the loop is saturated then). Every I/O loop is held busy while the clients
 * connect and send, then let go; each listening socket counts the bytes its clients had read when a
 * task queued by its first client ran, i.e. at the end of the turn that accepted it.
 */
class SpeculativeReadsTest {
  private static final byte[] REQUEST =
      "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aLoneClientIsReadInTheTurnThatAcceptedIt() throws Exception {
    List<FirstTurnReads> turns = connectWhileHeld(1);
    FirstTurnReads taker = turns.stream().filter(t -> t.accepted() > 0).findFirst().orElseThrow();
    assertThat(taker.acceptedInFirstTurn()).isEqualTo(1);
    assertThat(taker.bytesReadInFirstTurn()).isEqualTo(REQUEST.length);
  }

  @Test
  void aFullBatchIsReadWhenEpollReportsIt() throws Exception {
    List<FirstTurnReads> turns = connectWhileHeld(AcceptBatch.CLIENTS_PER_TURN * 3 + 1);
    // Spread over the listeners by the kernel: with more than a batch per listener on average,
    // at least one took a full batch in its first turn.
    List<FirstTurnReads> full =
        turns.stream()
            .filter(t -> t.acceptedInFirstTurn() == AcceptBatch.CLIENTS_PER_TURN)
            .toList();
    assertThat(full).isNotEmpty();
    assertThat(full).allMatch(t -> t.bytesReadInFirstTurn() == 0);
    for (FirstTurnReads partial : turns) {
      if (partial.acceptedInFirstTurn() > 0
          && partial.acceptedInFirstTurn() < AcceptBatch.CLIENTS_PER_TURN) {
        assertThat(partial.bytesReadInFirstTurn())
            .isEqualTo(partial.acceptedInFirstTurn() * REQUEST.length);
      }
    }
  }

  private static List<FirstTurnReads> connectWhileHeld(int clients) throws Exception {
    assertThat(Epoll.isAvailable()).as("native epoll loads here (it ships in the jar)").isTrue();
    List<Socket> sockets = new ArrayList<>();
    try (var backend = TcpBackends.named("order-1");
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(backend.hostPort())
                        .instance("slb-speculative")
                        .transport("epoll")
                        .build())
                .start()) {
      List<FirstTurnReads> turns = new ArrayList<>();
      for (Channel listener : slb.listeners()) {
        FirstTurnReads turn = new FirstTurnReads();
        turns.add(turn);
        listener.pipeline().addFirst(turn);
      }
      InetSocketAddress vip = slb.listenAddresses().get(0);
      try (BusyLoops held =
          BusyLoops.hold(slb.listeners().stream().map(Channel::eventLoop).distinct().toList())) {
        for (int i = 0; i < clients; i++) {
          Socket client = new Socket();
          sockets.add(client);
          client.connect(vip, 5000); // completed by the kernel: every loop is busy
          OutputStream out = client.getOutputStream();
          out.write(REQUEST);
          out.flush();
        }
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> turns.stream().mapToInt(FirstTurnReads::accepted).sum() == clients);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> turns.stream().allMatch(t -> t.accepted() == 0 || t.turnOver()));
      return turns;
    } finally {
      for (Socket client : sockets) {
        client.close();
      }
    }
  }

  /**
   * First in a listening socket's pipeline: puts a byte counter first in each client's pipeline,
   * and notes what its first turn accepted and read when a task queued by its first client runs.
   */
  @ChannelHandler.Sharable
  static final class FirstTurnReads extends ChannelInboundHandlerAdapter {
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger bytesRead = new AtomicInteger();
    private volatile int acceptedInFirstTurn = -1;
    private volatile int bytesReadInFirstTurn = -1;

    int accepted() {
      return accepted.get();
    }

    boolean turnOver() {
      return acceptedInFirstTurn >= 0;
    }

    int acceptedInFirstTurn() {
      return acceptedInFirstTurn;
    }

    int bytesReadInFirstTurn() {
      return bytesReadInFirstTurn;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object client) {
      ((Channel) client).pipeline().addFirst(new CountBytes());
      if (accepted.incrementAndGet() == 1) {
        ctx.executor()
            .execute(
                () -> {
                  bytesReadInFirstTurn = bytesRead.get();
                  acceptedInFirstTurn = accepted.get();
                });
      }
      ctx.fireChannelRead(client);
    }

    final class CountBytes extends ChannelInboundHandlerAdapter {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object chunk) {
        if (chunk instanceof ByteBuf buf) {
          bytesRead.addAndGet(buf.readableBytes());
        }
        ctx.fireChannelRead(chunk);
      }
    }
  }
}
