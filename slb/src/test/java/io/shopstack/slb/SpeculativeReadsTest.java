package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import io.shopstack.common.server.AcceptBatch;
import io.shopstack.common.testing.FirstTurnCount;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client whose request came with its connection is read in the loop turn that accepted it when
 * that turn emptied the accept queue (proxy.SpeculativeReads), and in the next turn when the turn
 * took a full batch (the loop is saturated then). Every I/O loop is held busy while the clients
 * connect and send, then let go; each listening socket counts the bytes its clients had been read
 * at the end of the turn that accepted its first one (WaitingClients).
 */
class SpeculativeReadsTest {
  private static final byte[] REQUEST =
      "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aLoneClientIsReadInTheTurnThatAcceptedIt() throws Exception {
    List<FirstTurnCount> turns = firstTurnsOf(1);
    FirstTurnCount taker = turns.stream().filter(t -> t.accepted() > 0).findFirst().orElseThrow();
    assertThat(taker.firstTurn()).isEqualTo(1);
    assertThat(taker.bytesReadInFirstTurn()).isEqualTo(REQUEST.length);
  }

  @Test
  void aFullBatchIsReadWhenEpollReportsIt() throws Exception {
    List<FirstTurnCount> turns = firstTurnsOf(AcceptBatch.CLIENTS_PER_TURN * 3 + 1);
    // Spread over the listeners by the kernel: with more than a batch per listener on average,
    // at least one took a full batch in its first turn.
    List<FirstTurnCount> full =
        turns.stream().filter(t -> t.firstTurn() == AcceptBatch.CLIENTS_PER_TURN).toList();
    assertThat(full).isNotEmpty();
    assertThat(full).allMatch(t -> t.bytesReadInFirstTurn() == 0);
    for (FirstTurnCount partial : turns) {
      if (partial.firstTurn() > 0 && partial.firstTurn() < AcceptBatch.CLIENTS_PER_TURN) {
        assertThat(partial.bytesReadInFirstTurn()).isEqualTo(partial.firstTurn() * REQUEST.length);
      }
    }
  }

  private static List<FirstTurnCount> firstTurnsOf(int clients) throws Exception {
    assertThat(Epoll.isAvailable()).as("native epoll loads here (it ships in the jar)").isTrue();
    try (var backend = TcpBackends.named("order-1");
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(backend.hostPort())
                        .instance("slb-speculative")
                        .transport("epoll")
                        .build())
                .start();
        WaitingClients waiting = WaitingClients.connect(slb, clients, REQUEST)) {
      return waiting.turns();
    }
  }
}
