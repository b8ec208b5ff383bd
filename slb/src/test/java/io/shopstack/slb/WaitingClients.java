package io.shopstack.slb;

import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.shopstack.common.testing.BusyLoops;
import io.shopstack.common.testing.FirstTurnCount;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that connect (and send their first bytes, if given) while every I/O loop of an SLB is
 * held busy, so that each listening socket finds them waiting in its accept queue when let go. A
 * {@link FirstTurnCount} first in each listener's pipeline tells what the listener's first turn
 * took and read; {@link #connect} returns once every listener that took a client has finished that
 * turn.
 */
final class WaitingClients implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();
  private final List<FirstTurnCount> turns = new ArrayList<>();

  private WaitingClients() {}

  static WaitingClients connect(SlbServer slb, int clients, byte[] sent) throws Exception {
    WaitingClients waiting = new WaitingClients();
    try {
      for (Channel listener : slb.listeners()) {
        FirstTurnCount turn = new FirstTurnCount();
        waiting.turns.add(turn);
        listener.pipeline().addFirst(turn);
      }
      InetSocketAddress vip = slb.listenAddresses().get(0);
      try (BusyLoops held =
          BusyLoops.hold(slb.listeners().stream().map(Channel::eventLoop).distinct().toList())) {
        for (int i = 0; i < clients; i++) {
          Socket client = new Socket();
          waiting.sockets.add(client);
          client.connect(vip, 5000); // completed by the kernel: every loop is busy
          if (sent.length > 0) {
            OutputStream out = client.getOutputStream();
            out.write(sent);
            out.flush();
          }
        }
      }
      List<FirstTurnCount> turns = waiting.turns;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> turns.stream().mapToInt(FirstTurnCount::accepted).sum() == clients);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> turns.stream().allMatch(t -> t.accepted() == 0 || t.firstTurn() > 0));
      return waiting;
    } catch (Exception | Error e) {
      waiting.close();
      throw e;
    }
  }

  /** One per listening socket. */
  List<FirstTurnCount> turns() {
    return turns;
  }

  @Override
  public void close() throws IOException {
    for (Socket client : sockets) {
      client.close();
    }
  }
}
