package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.FirstTurnCount;
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
    try (var echo = TcpBackends.echo();
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(echo.hostPort())
                        .instance("slb-batch-" + transport)
                        .transport(transport)
                        .build())
                .start();
        WaitingClients waiting = WaitingClients.connect(slb, CLIENTS, new byte[0])) {
      assertThat(waiting.turns().stream().mapToInt(FirstTurnCount::firstTurn).sum())
          .isEqualTo(CLIENTS);
    }
  }
}
