package io.shopstack.dns.server;

import static io.shopstack.dns.testing.TcpDnsClient.nextByte;
import static io.shopstack.dns.testing.TcpDnsClient.query;
import static io.shopstack.dns.testing.TcpDnsClient.read;
import static io.shopstack.dns.testing.TcpDnsClient.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopstack.dns.edns.Edns;
import io.shopstack.dns.testing.TcpDnsClient;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/** RFC 7766 over a plain java.net.Socket: what a stub or resolver does on the wire. */
class TcpTransportTest {
  private static final int IDLE_SECONDS = 1;
  private static final int PER_CLIENT = 3;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private DnsServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        new DnsServer(
                new DnsServer.Settings(
                    "tcp-test",
                    new InetSocketAddress("127.0.0.1", 0),
                    Edns.PAYLOAD_SIZE,
                    IDLE_SECONDS,
                    PER_CLIENT),
                (query, client, transport) -> CompletableFuture.completedFuture(echo(query)),
                registry)
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Answers every name with 127.0.0.1, enough to tell answers apart by ID and name. */
  private static Message echo(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    response.addRecord(
        new ARecord(
            query.getQuestion().getName(),
            DClass.IN,
            60,
            new InetSocketAddress("127.0.0.1", 0).getAddress()),
        Section.ANSWER);
    return response;
  }

  private double rejected(String limit) {
    return registry.get("dns_tcp_connections_rejected").tag("limit", limit).counter().count();
  }

  private Socket connect() throws IOException {
    return TcpDnsClient.connect(server.port());
  }

  @Test
  void threeQueriesSentBackToBackOnOneConnectionGetThreeAnswers() throws Exception {
    try (Socket socket = connect()) {
      // One write carrying all three frames: the server must split them and answer each.
      java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
      DataOutputStream frames = new DataOutputStream(burst);
      for (int i = 1; i <= 3; i++) {
        byte[] wire = query("q" + i + ".test.", 0x1000 + i).toWire();
        frames.writeShort(wire.length);
        frames.write(wire);
      }
      socket.getOutputStream().write(burst.toByteArray());
      socket.getOutputStream().flush();

      Set<String> answered = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        Message answer = read(socket);
        answered.add(answer.getHeader().getID() + " " + answer.getQuestion().getName());
      }
      assertThat(answered)
          .containsExactlyInAnyOrder("4097 q1.test.", "4098 q2.test.", "4099 q3.test.");
      // And the connection stays open for more.
      write(socket, query("q4.test.", 0x2000));
      assertThat(read(socket).getHeader().getID()).isEqualTo(0x2000);
    }
  }

  @Test
  void idleConnectionIsClosedByTheServer() throws Exception {
    try (Socket socket = connect()) {
      write(socket, query("once.test.", 7));
      assertThat(read(socket).getHeader().getID()).isEqualTo(7);
      // Open between queries: a second one on the same connection is answered.
      write(socket, query("twice.test.", 8));
      assertThat(read(socket).getHeader().getID()).isEqualTo(8);

      // Then silence: the client never closes, so only the server's idle timer can end it, and
      // well before the query deadline (30 s) or the socket's own read guard.
      CompletableFuture<Integer> next = CompletableFuture.supplyAsync(() -> nextByte(socket));
      await()
          .atMost(Duration.ofSeconds(IDLE_SECONDS * 10L))
          .untilAsserted(() -> assertThat(next).isCompletedWithValue(-1));
      assertThat(socket.isClosed()).as("not closed by the client").isFalse();
      assertThat(registry.find("dns_tcp_queries_timed_out").counter().count()).isZero();
    }
  }

  @Test
  void connectionsOverThePerClientLimitAreClosedAtOnceAndOthersKeepWorking() throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < PER_CLIENT; i++) {
        Socket socket = connect();
        write(socket, query("ok" + i + ".test.", 100 + i));
        assertThat(read(socket).getHeader().getID()).isEqualTo(100 + i);
        open.add(socket);
      }
      try (Socket extra = connect()) {
        try {
          write(extra, query("extra.test.", 200));
        } catch (IOException reset) {
          // the close may already have arrived
        }
        assertThat(nextByte(extra)).as("extra connection closed without an answer").isEqualTo(-1);
        // Closed by the limit, not by the idle timer: the rejection is counted.
        assertThat(rejected("per_client")).isEqualTo(1.0);
      }
      // The connections within the limit were not disturbed.
      write(open.get(0), query("still.test.", 300));
      assertThat(read(open.get(0)).getHeader().getID()).isEqualTo(300);

      // Closing one frees its slot.
      open.remove(0).close();
      await()
          .atMost(Duration.ofSeconds(3))
          .untilAsserted(
              () -> {
                try (Socket again = connect()) {
                  write(again, query("again.test.", 400));
                  assertThat(read(again).getHeader().getID()).isEqualTo(400);
                } catch (EOFException closed) {
                  throw new AssertionError("still over the limit", closed);
                }
              });
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
  }

  /** A server with its own TCP limits, closed by the test. */
  private DnsServer serverWith(int idleSeconds, int perClient, int total, int querySeconds)
      throws InterruptedException {
    return new DnsServer(
            new DnsServer.Settings(
                "tcp-limits",
                new InetSocketAddress("127.0.0.1", 0),
                Edns.PAYLOAD_SIZE,
                idleSeconds,
                perClient,
                total,
                querySeconds),
            (query, client, transport) -> CompletableFuture.completedFuture(echo(query)),
            registry)
        .start();
  }

  @Test
  void aClientTricklingOneByteAtATimeIsClosedWhenItsQueryIsNotWholeInTime() throws Exception {
    // Every byte comes well within the idle timeout, so only the per-query deadline can end this.
    try (DnsServer slow = serverWith(5, 16, 150, 1);
        Socket socket = new Socket("127.0.0.1", slow.port())) {
      CompletableFuture<Integer> firstByte =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return socket.getInputStream().read();
                } catch (IOException reset) {
                  return -1;
                }
              });
      // A length of 300 bytes: the query never completes at this pace within the test.
      byte[] trickle = new byte[302];
      trickle[0] = 0x01;
      trickle[1] = 0x2c;
      int[] sent = {0};
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (firstByte.isDone()) {
                  return true;
                }
                try {
                  socket.getOutputStream().write(trickle[sent[0]++]);
                  socket.getOutputStream().flush();
                } catch (IOException closed) {
                  // the close is on its way; the reader sees it
                }
                return false;
              });
      assertThat(firstByte.get()).as("closed without an answer").isEqualTo(-1);
      assertThat(sent[0]).as("bytes trickled before the close").isLessThan(trickle.length);
      assertThat(registry.get("dns_tcp_queries_timed_out").counter().count()).isEqualTo(1.0);
    }
  }

  @Test
  void aQueryThatArrivesInPiecesInTimeLeavesTheConnectionOpenPastTheDeadline() throws Exception {
    // The deadline is per query: once a query is whole its deadline is off, and a connection
    // between queries is only subject to the idle timeout.
    try (DnsServer server = serverWith(5, 16, 150, 1);
        Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(5000);
      byte[] wire = query("pieces.test.", 11).toWire();
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeShort(wire.length);
      out.flush(); // the length alone: a query has begun, and its deadline runs
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(1))
          .until(() -> !socket.isInputShutdown());
      out.write(wire);
      out.flush();
      assertThat(read(socket).getHeader().getID()).isEqualTo(11);

      CompletableFuture<Integer> next =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return socket.getInputStream().read();
                } catch (IOException reset) {
                  return -1;
                }
              });
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(3))
          .until(() -> !next.isDone());
      write(socket, query("after.test.", 12));
      assertThat(next.get()).as("first byte of the next answer, not a close").isNotEqualTo(-1);
      assertThat(registry.find("dns_tcp_queries_timed_out").counter().count()).isZero();
    }
  }

  @Test
  void connectionsOverTheOverallLimitAreClosedAtOnceWhateverTheirAddress() throws Exception {
    try (DnsServer server = serverWith(5, 16, 2, 30)) {
      List<Socket> open = new ArrayList<>();
      try {
        // Two different client addresses: the per-client limit (16) is far away.
        for (String from : new String[] {"127.0.0.2", "127.0.0.3"}) {
          Socket socket = new Socket();
          socket.bind(new InetSocketAddress(from, 0));
          socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
          socket.setSoTimeout(3000);
          write(socket, query("ok.test.", 1));
          assertThat(read(socket).getHeader().getID()).isEqualTo(1);
          open.add(socket);
        }
        try (Socket third = new Socket()) {
          third.bind(new InetSocketAddress("127.0.0.4", 0));
          third.connect(new InetSocketAddress("127.0.0.1", server.port()));
          third.setSoTimeout(3000);
          int first;
          try {
            write(third, query("third.test.", 3));
            first = third.getInputStream().read();
          } catch (IOException reset) {
            first = -1;
          }
          assertThat(first).as("third connection closed without an answer").isEqualTo(-1);
        }
        assertThat(rejected("total")).isEqualTo(1.0);
        write(open.get(1), query("still.test.", 4));
        assertThat(read(open.get(1)).getHeader().getID()).isEqualTo(4);
      } finally {
        for (Socket s : open) {
          s.close();
        }
      }
    }
  }
}
