package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SLB's listening sockets take the clients waiting in their accept queue in one turn of their
 * event loop, not one per turn (stack-common's AcceptBatch, set by ServerLifecycle): every I/O loop
 * is held busy while the clients connect, then let go, and each listener counts what it took before
 * a task queued by its first client ran, i.e. in its first turn.
 */
class AcceptInBatchesTest {
  private static final int CLIENTS = 8;

  @ParameterizedTest
  @ValueSource(strings = {"auto", "nio"})
  void waitingClientsAreTakenInOneTurn(String transport) throws Exception {
    List<Socket> clients = new ArrayList<>();
    try (var echo = TcpBackends.echo();
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(echo.hostPort())
                        .instance("slb-batch-" + transport)
                        .transport(transport)
                        .build())
                .start()) {
      List<TurnCount> counts = new ArrayList<>();
      CountDownLatch release = new CountDownLatch(1);
      for (Channel listener : slb.listeners()) {
        TurnCount count = new TurnCount();
        counts.add(count);
        listener.pipeline().addFirst(count);
        CountDownLatch busy = new CountDownLatch(1);
        listener
            .eventLoop()
            .execute(
                () -> {
                  busy.countDown();
                  awaitQuietly(release);
                });
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
      }
      InetSocketAddress vip = slb.listenAddresses().get(0);
      for (int i = 0; i < CLIENTS; i++) {
        Socket client = new Socket();
        clients.add(client);
        client.connect(vip, 5000); // completed by the kernel: every loop is busy
      }
      release.countDown();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> counts.stream().mapToInt(c -> c.accepted.get()).sum() == CLIENTS);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> counts.stream().allMatch(c -> c.accepted.get() == 0 || c.firstTurn.get() > 0));
      assertThat(counts.stream().mapToInt(c -> c.firstTurn.get()).sum()).isEqualTo(CLIENTS);
    } finally {
      for (Socket client : clients) {
        client.close();
      }
    }
  }

  /** Counts a listener's accepted clients, and how many of them its first turn took. */
  private static final class TurnCount extends ChannelInboundHandlerAdapter {
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger firstTurn = new AtomicInteger();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object client) {
      if (accepted.incrementAndGet() == 1) {
        ctx.executor().execute(() -> firstTurn.set(accepted.get()));
      }
      ctx.fireChannelRead(client);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
