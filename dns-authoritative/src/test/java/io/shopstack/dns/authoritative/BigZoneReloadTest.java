package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.dns.authoritative.reload.ZoneReloader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Issue 14: a reload of a big zone does not stall the answers of the others. One client asks a
 * small zone without pause, one query after the other over UDP, while the server re-reads a
 * 200,000-record zone: every query is answered, and answers keep coming while the reload runs (were
 * it parsed on an event loop, none would arrive until it was done).
 */
class BigZoneReloadTest {
  private static final int RECORDS = 200_000;

  @TempDir Path dir;

  private static void writeBigZone(Path file, int serial, String lastAddress) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("$ORIGIN big.example.\n$TTL 3600\n");
      out.write("@ IN SOA ns1 hostmaster " + serial + " 3600 900 1209600 300\n");
      out.write("@ IN NS ns1\nns1 IN A 127.0.0.6\n");
      for (int i = 0; i < RECORDS - 1; i++) {
        out.write("h" + i + " IN A 10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        out.newLine();
      }
      out.write("h" + (RECORDS - 1) + " IN A " + lastAddress + "\n");
    }
  }

  /** Asks www.shop.example. A until told to stop; counts what it sent and what was answered. */
  private static final class SteadyClient implements Runnable {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong slowestNanos = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicReference<String> failure = new AtomicReference<>();
    private final int port;

    SteadyClient(int port) {
      this.port = port;
    }

    @Override
    public void run() {
      try (DatagramSocket socket = new DatagramSocket()) {
        // Generous: a query unanswered this long was lost, not slow.
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        byte[] buffer = new byte[512];
        for (int id = 0; !stop.get(); id = (id + 1) & 0xffff) {
          Message query = TestDns.query("www.shop.example.", Type.A);
          query.getHeader().setID(id);
          byte[] wire = query.toWire();
          long start = System.nanoTime();
          socket.send(new DatagramPacket(wire, wire.length));
          sent.incrementAndGet();
          DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
          socket.receive(reply);
          slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
          Message answer = new Message(java.util.Arrays.copyOf(buffer, reply.getLength()));
          if (answer.getHeader().getID() != id
              || answer.getRcode() != Rcode.NOERROR
              || answer.getSection(Section.ANSWER).isEmpty()) {
            failure.compareAndSet(null, "wrong answer to query " + id + ": " + answer);
            return;
          }
          answered.incrementAndGet();
        }
      } catch (SocketTimeoutException e) {
        failure.compareAndSet(null, "query " + sent.get() + " was never answered");
      } catch (Exception e) {
        failure.compareAndSet(null, e.toString());
      }
    }
  }

  @Test
  void answersOfOtherZonesKeepComingWhileABigZoneReloads() throws Exception {
    Path big = dir.resolve("big.example.zone");
    writeBigZone(big, 1, "192.0.2.1");
    try (AuthoritativeServer server =
        TestDns.start("shop.example.=classpath:zones/shop.example.zone,big.example.=" + big)) {
      String last = "h" + (RECORDS - 1) + ".big.example.";
      assertThat(TestDns.section(TestDns.ask(server.dnsPort(), false, last, Type.A), 1))
          .containsExactly(last + " 3600 A 192.0.2.1");
      writeBigZone(big, 2, "192.0.2.2");

      SteadyClient client = new SteadyClient(server.dnsPort());
      Thread asking = new Thread(client, "steady-client");
      asking.start();
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> client.answered.get() >= 100);
        // The steady rate before, for the log line: how much the reload slows the others.
        long steadyFrom = client.answered.get();
        long steadyStart = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> client.answered.get() >= steadyFrom + 200);
        double steadyRate =
            (client.answered.get() - steadyFrom) * 1e9 / (System.nanoTime() - steadyStart);
        long before = client.answered.get();
        long reloadStart = System.nanoTime();
        ZoneReloader.Outcome outcome = server.reload();
        long reloadMillis = (System.nanoTime() - reloadStart) / 1_000_000;
        long during = client.answered.get() - before;
        assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> client.answered.get() >= before + during + 100);
        client.stop.set(true);
        asking.join(20_000);
        System.out.printf(
            "big zone reload: %d ms; %d answers of shop.example. while it ran (%.0f/s, before it"
                + " %.0f/s); %d sent, %d answered in all; slowest answer %d ms%n",
            reloadMillis,
            during,
            during * 1000.0 / Math.max(1, reloadMillis),
            steadyRate,
            client.sent.get(),
            client.answered.get(),
            client.slowestNanos.get() / 1_000_000);
        assertThat(client.failure.get()).isNull();
        assertThat(client.answered.get()).as("every query answered").isEqualTo(client.sent.get());
        assertThat(during).as("answers while the big zone was re-read").isPositive();
      } finally {
        client.stop.set(true);
        asking.join(20_000);
      }
      assertThat(TestDns.section(TestDns.ask(server.dnsPort(), false, last, Type.A), 1))
          .containsExactly(last + " 3600 A 192.0.2.2");
    }
  }
}
