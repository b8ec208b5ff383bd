package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.shopstack.common.testing.BusyLoops;
import io.shopstack.common.testing.FirstTurnCount;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
      List<FirstTurnCount> counts = new ArrayList<>();
      for (Channel listener : slb.listeners()) {
        FirstTurnCount count = new FirstTurnCount();
        counts.add(count);
        listener.pipeline().addFirst(count);
      }
      InetSocketAddress vip = slb.listenAddresses().get(0);
      try (BusyLoops held =
          BusyLoops.hold(slb.listeners().stream().map(Channel::eventLoop).distinct().toList())) {
        for (int i = 0; i < CLIENTS; i++) {
          Socket client = new Socket();
          clients.add(client);
          client.connect(vip, 5000); // completed by the kernel: every loop is busy
        }
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> counts.stream().mapToInt(FirstTurnCount::accepted).sum() == CLIENTS);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> counts.stream().allMatch(c -> c.accepted() == 0 || c.firstTurn() > 0));
      assertThat(counts.stream().mapToInt(FirstTurnCount::firstTurn).sum()).isEqualTo(CLIENTS);
    } finally {
      for (Socket client : clients) {
        client.close();
      }
    }
  }
}
