package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A big zone transfer streams: messages are made as the client reads them, so a client that stops
 * reading stops the server from making more (nothing piles up in memory), and one that reads gets
 * every record, counted by dig and kdig.
 */
class StreamedTransferTest {
  /** ~160 bytes per record on the wire: about 10 MB, more than socket buffers hold. */
  private static final int RECORDS = 60_000;

  /** SOA, NS, the NS's address, the TXT records, SOA again. */
  private static final int TRANSFERRED = RECORDS + 4;

  @TempDir static Path dir;
  private static AuthoritativeServer server;

  @BeforeAll
  static void start() throws Exception {
    StringBuilder zone = new StringBuilder("$ORIGIN stream.test.\n$TTL 60\n");
    zone.append("@ IN SOA ns1 hostmaster 3 3600 900 604800 60\n@ IN NS ns1\n");
    zone.append("ns1 IN A 127.0.0.1\n");
    String filler = "x".repeat(120);
    for (int i = 0; i < RECORDS; i++) {
      zone.append("t").append(i).append(" IN TXT \"").append(i).append(filler).append("\"\n");
    }
    Path file = dir.resolve("stream.test.zone");
    Files.writeString(file, zone);
    server =
        new AuthoritativeServer(
                TestDns.config(
                    "stream.test.=" + file,
                    AuthoritativeConfig.RateLimit.OFF,
                    new AuthoritativeConfig.Transfer("127.0.0.1/32", ""),
                    0))
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static double messagesMade() {
    return server.registry().get("dns_transfer_messages").counter().count();
  }

  @Test
  void digAndKdigGetEveryRecord() {
    String dig = TestDns.dig(server.dnsPort(), "+noall", "+stats", "AXFR", "stream.test");
    Matcher size = Pattern.compile("XFR size: (\\d+) records \\(messages (\\d+),").matcher(dig);
    assertThat(size.find()).as(dig).isTrue();
    assertThat(Integer.parseInt(size.group(1))).isEqualTo(TRANSFERRED);
    assertThat(Integer.parseInt(size.group(2))).isGreaterThan(500);

    String kdig =
        io.shopstack.common.testing.ExternalCommand.run(
                Duration.ofSeconds(30),
                java.util.List.of(
                    "kdig",
                    "@127.0.0.1",
                    "-p",
                    String.valueOf(server.dnsPort()),
                    "+noall",
                    "+stats",
                    "AXFR",
                    "stream.test"))
            .assertSuccess()
            .output();
    assertThat(kdig)
        .containsPattern("Received [0-9]+ B \\(\\d+ messages, " + TRANSFERRED + " records\\)");
  }

  @Test
  void aClientThatStopsReadingStopsTheTransferAndOneThatReadsGetsItAll() throws Exception {
    try (Socket tcp = new Socket()) {
      tcp.setReceiveBufferSize(4096);
      tcp.connect(new InetSocketAddress("127.0.0.1", server.dnsPort()));
      tcp.setSoTimeout(10_000);
      byte[] query = TestDns.query("stream.test.", Type.AXFR).toWire();
      DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      DataInputStream in = new DataInputStream(tcp.getInputStream());
      double before = messagesMade();
      Message first = read(in);
      assertThat(first.getSection(Section.ANSWER).get(0).getType()).isEqualTo(Type.SOA);

      // Not reading: the server makes what fits into the socket buffers, then waits.
      AtomicReference<Double> seen = new AtomicReference<>(-1.0);
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> seen.getAndSet(messagesMade()) == messagesMade());
      double madeWhileStalled = messagesMade() - before;

      int records = first.getSection(Section.ANSWER).size();
      int messages = 1;
      while (true) {
        Message m = read(in);
        messages++;
        records += m.getSection(Section.ANSWER).size();
        if (records >= TRANSFERRED) {
          break;
        }
      }
      assertThat(records).isEqualTo(TRANSFERRED);
      assertThat(madeWhileStalled)
          .as("messages made while the client read nothing, of %d", messages)
          .isLessThan(messages / 2.0);
    }
  }

  private static Message read(DataInputStream in) throws Exception {
    byte[] message = new byte[in.readUnsignedShort()];
    in.readFully(message);
    return new Message(message);
  }
}
