package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.slb.TcpBackends.Load;
import io.shopstack.slb.health.HealthCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HAProxy's limits, counted on real sockets: a backend's {@code maxconn} with the queue in front of
 * it and its timeout, and the frontend's {@code maxconn} that stops accepting.
 */
class ConnectionLimitsTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  // Check probes are connections too: without them the backends count clients only.
  private static final HealthCheck UNCHECKED = HealthCheck.NONE;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  /** A client of the SLB, reading the line its backend greets it with. */
  private final class Client {
    final Socket socket;
    final BufferedReader in;

    Client(InetSocketAddress vip) throws IOException {
      socket = track(new Socket(vip.getAddress(), vip.getPort()));
      socket.setSoTimeout((int) BOUND.toMillis());
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    String greeting() throws IOException {
      return in.readLine();
    }
  }

  /**
   * An SLB in front of order-1 and order-2, each holding its clients, each of {@code maxconn 1}.
   */
  private record OneSlotPair(
      SlbServer slb, TcpBackends.Fixture order1, TcpBackends.Fixture order2) {}

  /** {@code balance} null for the default; both backends count their clients in {@code load}. */
  private OneSlotPair oneSlotPair(Load load, String balance, int queueTimeoutMillis)
      throws Exception {
    return oneSlotPair(load, balance, queueTimeoutMillis, " maxconn=1");
  }

  private OneSlotPair oneSlotPair(
      Load load, String balance, int queueTimeoutMillis, String backendOptions) throws Exception {
    var order1 = track(TcpBackends.holding("order-1", load));
    var order2 = track(TcpBackends.holding("order-2", load));
    SlbServer slb =
        track(
            new SlbServer(
                    SlbConfigs.inFrontOf(
                            order1.hostPort() + backendOptions, order2.hostPort() + backendOptions)
                        .balance(balance)
                        .healthCheck(UNCHECKED)
                        .queueTimeoutMillis(queueTimeoutMillis)
                        .build())
                .start());
    return new OneSlotPair(slb, order1, order2);
  }

  private static double metric(SlbServer slb, String name) {
    var search = slb.registry().find(name);
    var counter = search.counter();
    if (counter != null) {
      return counter.count();
    }
    var counted = search.functionCounter();
    return counted != null ? counted.count() : search.gauge().value();
  }

  @Test
  void pastItsMaxconnABackendsNewClientsQueueAndAreServedAsSlotsFree() throws Exception {
    Load load = new Load();
    var order1 = track(TcpBackends.holding("order-1", load));
    SlbServer slb =
        track(
            new SlbServer(
                    SlbConfigs.inFrontOf(order1.hostPort() + " maxconn=2")
                        .healthCheck(UNCHECKED)
                        .build())
                .start());
    InetSocketAddress vip = slb.listenAddresses().get(0);

    Client first = new Client(vip);
    Client second = new Client(vip);
    assertThat(first.greeting()).isEqualTo("order-1");
    assertThat(second.greeting()).isEqualTo("order-1");

    Client third = new Client(vip);
    // One after the other: clients on different event loops could otherwise queue in any order.
    await().atMost(BOUND).until(() -> metric(slb, "slb_queue_length") == 1);
    Client fourth = new Client(vip);
    await().atMost(BOUND).until(() -> metric(slb, "slb_queue_length") == 2);
    assertThat(load.total()).as("the backend saw only its maxconn").hasValue(2);

    first.socket.close();
    assertThat(third.greeting())
        .as("the first in the queue takes the freed slot")
        .isEqualTo("order-1");
    second.socket.close();
    assertThat(fourth.greeting()).isEqualTo("order-1");

    assertThat(load.peak()).as("never more than maxconn at once").hasValue(2);
    assertThat(load.total()).hasValue(4);
    assertThat(metric(slb, "slb_connections_queued")).isEqualTo(2);
    assertThat(metric(slb, "slb_queue_length")).isZero();
    assertThat(metric(slb, "slb_connections_queue_timeout")).isZero();
  }

  /**
   * With {@code maglev} a client belongs to its backend: when that one is at its {@code maxconn},
   * the client waits in that backend's own queue, though the other backend has room (HAProxy's
   * server queue for a hash-balanced request), and reaches it when a slot frees.
   */
  @Test
  void aMaglevClientWaitsForItsOwnBackendThoughAnotherHasRoom() throws Exception {
    Load load = new Load();
    OneSlotPair pair = oneSlotPair(load, "maglev", (int) BOUND.toMillis());
    SlbServer slb = pair.slb();
    InetSocketAddress vip = slb.listenAddresses().get(0);

    Client first = new Client(vip); // every client here is 127.0.0.1: one hash, one backend
    String owner = first.greeting();
    String ownerHostPort =
        owner.equals("order-1") ? pair.order1().hostPort() : pair.order2().hostPort();
    Client second = new Client(vip);
    await()
        .atMost(BOUND)
        .until(
            () ->
                slb.registry()
                        .find("slb_backend_queue_length")
                        .tag("backend", ownerHostPort)
                        .gauge()
                        .value()
                    == 1);
    assertThat(metric(slb, "slb_queue_length")).isEqualTo(1);
    assertThat(load.total())
        .as("the backend with room was not given the waiting client")
        .hasValue(1);

    first.socket.close();
    assertThat(second.greeting()).as("its own backend, once a slot freed").isEqualTo(owner);
    assertThat(metric(slb, "slb_connections_queued")).isEqualTo(1);
    assertThat(metric(slb, "slb_connections_queue_timeout")).isZero();
  }

  /**
   * HAProxy's server {@code maxqueue}: a hashed client that finds its own backend's queue full is
   * sent to the other backend, which has room, instead of waiting behind it.
   */
  @Test
  void pastItsBackendsMaxqueueAMaglevClientIsSentToABackendWithRoom() throws Exception {
    Load load = new Load();
    OneSlotPair pair = oneSlotPair(load, "maglev", (int) BOUND.toMillis(), " maxconn=1 maxqueue=1");
    SlbServer slb = pair.slb();
    InetSocketAddress vip = slb.listenAddresses().get(0);

    Client first = new Client(vip); // every client here is 127.0.0.1: one hash, one backend
    String owner = first.greeting();
    Client second = new Client(vip); // waits in its backend's queue, which it fills
    await().atMost(BOUND).until(() -> metric(slb, "slb_queue_length") == 1);
    Client third = new Client(vip);

    assertThat(third.greeting()).as("past maxqueue: the backend with room").isNotEqualTo(owner);
    assertThat(metric(slb, "slb_connections_queue_redispatched")).isEqualTo(1);
    first.socket.close();
    assertThat(second.greeting()).as("within maxqueue: its own backend").isEqualTo(owner);
  }

  /**
   * A client that sends while it waits for a backend slot is read ahead only a little (HAProxy's
   * one buffer, FrontendHandler.EARLY_BYTES, 16 KiB, plus the read that crosses it, at most 64 KiB
   * by Netty's allocator); the rest waits in the kernel, and every byte reaches the backend once
   * the slot frees.
   */
  @Test
  void aQueuedClientIsReadOnlyALittleAheadAndLosesNoByte() throws Exception {
    var counter = track(TcpBackends.countsUntilEndOfStream());
    SlbServer slb =
        track(
            new SlbServer(
                    SlbConfigs.inFrontOf(counter.hostPort() + " maxconn=1")
                        .transport("epoll")
                        .healthCheck(UNCHECKED)
                        .queueTimeoutMillis((int) BOUND.toMillis())
                        .build())
                .start());
    InetSocketAddress vip = slb.listenAddresses().get(0);
    Client first = new Client(vip); // takes the one slot and sends nothing
    await().atMost(BOUND).until(() -> metric(slb, "slb_backend_connections_active") == 1);

    Client second = new Client(vip);
    byte[] request = new byte[1024 * 1024];
    for (int i = 0; i < request.length; i++) {
      request[i] = (byte) i;
    }
    Thread writer =
        new Thread(
            () -> {
              try {
                second.socket.getOutputStream().write(request);
                second.socket.shutdownOutput();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    writer.start();
    await().atMost(BOUND).until(() -> metric(slb, "slb_queue_length") == 1);
    double[] read = {-1};
    await()
        .atMost(BOUND)
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              double now = metric(slb, "slb_bytes_in");
              boolean settled = now > 0 && now == read[0];
              read[0] = now;
              return settled;
            });
    assertThat(read[0])
        .as("bytes the SLB read from the queued client")
        .isLessThanOrEqualTo(16 * 1024 + 64 * 1024);

    first.socket.close();
    assertThat(second.greeting()).isEqualTo("got " + request.length + " bytes");
    writer.join(BOUND.toMillis());
    assertThat(metric(slb, "slb_bytes_in")).isEqualTo(request.length);
  }

  @Test
  void aQueuedClientIsClosedAfterTheQueueTimeoutWithoutReachingTheBackend() throws Exception {
    Load load = new Load();
    SlbServer slb = oneSlotPair(load, null, 300).slb();
    InetSocketAddress vip = slb.listenAddresses().get(0);

    Client first = new Client(vip);
    Client second = new Client(vip);
    assertThat(List.of(first.greeting(), second.greeting()))
        .containsExactlyInAnyOrder("order-1", "order-2");

    Client third = new Client(vip);
    assertThat(third.greeting()).as("closed by the SLB, not served").isNull();
    assertThat(metric(slb, "slb_connections_queue_timeout")).isEqualTo(1);
    assertThat(load.total()).as("no backend saw the third client").hasValue(2);

    first.socket.close();
    await().atMost(BOUND).until(() -> load.open().get() == 1);
    Client fourth = new Client(vip);
    assertThat(fourth.greeting()).as("a freed slot serves the next client at once").isNotNull();
    assertThat(metric(slb, "slb_connections_queue_timeout")).isEqualTo(1);
  }

  @Test
  void atTheFrontendsMaxconnTheSlbStopsAcceptingUntilAClientLeaves() throws Exception {
    Load load = new Load();
    var order1 = track(TcpBackends.holding("order-1", load));
    SlbServer slb =
        track(
            new SlbServer(
                    SlbConfigs.inFrontOf(order1.hostPort())
                        .healthCheck(UNCHECKED)
                        .maxConnections(2)
                        .build())
                .start());
    InetSocketAddress vip = slb.listenAddresses().get(0);

    Client first = new Client(vip);
    Client second = new Client(vip);
    assertThat(first.greeting()).isEqualTo("order-1");
    assertThat(second.greeting()).isEqualTo("order-1");
    // The third is connected (the kernel completed its handshake) but not served.
    Client third = new Client(vip);
    await().atMost(BOUND).until(() -> metric(slb, "slb_frontend_paused") == 1);
    assertThat(metric(slb, "slb_connections_accepted")).isEqualTo(2);
    assertThat(load.total()).hasValue(2);

    second.socket.close();
    assertThat(third.greeting()).isEqualTo("order-1");
    assertThat(metric(slb, "slb_connections_accepted")).isEqualTo(3);
    assertThat(load.peak()).as("never more than maxconn clients served").hasValue(2);

    first.socket.close();
    third.socket.close();
    await().atMost(BOUND).until(() -> metric(slb, "slb_frontend_paused") == 0);
    Client fourth = new Client(vip);
    assertThat(fourth.greeting()).as("accepting again").isEqualTo("order-1");
  }
}
