package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Zones replaced while serving: an edited file is noticed, a broken one is refused with file and
 * line while the old data keeps answering, and secondaries get a NOTIFY when the serial moves.
 */
class ZoneReloadTest {
  @TempDir Path dir;
  private Path zoneFile;
  private DatagramSocket secondary;
  private final BlockingQueue<Message> notifies = new LinkedBlockingQueue<>();
  private Thread secondaryThread;
  private AuthoritativeServer server;

  private static String zone(long serial, String wwwAddress) {
    return "$ORIGIN shop.example.\n"
        + "$TTL 3600\n"
        + "@ IN SOA ns1 hostmaster "
        + serial
        + " 3600 900 1209600 300\n"
        + "@ IN NS ns1\n"
        + "ns1 IN A 127.28.0.4\n"
        + "www 300 IN A "
        + wwwAddress
        + "\n";
  }

  @BeforeEach
  void start() throws Exception {
    // A secondary that acknowledges every NOTIFY, as BIND or NSD would.
    secondary = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    secondaryThread =
        new Thread(
            () -> {
              byte[] buffer = new byte[512];
              while (!secondary.isClosed()) {
                try {
                  DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                  secondary.receive(packet);
                  Message notify = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                  notifies.add(notify);
                  Message ack = new Message(notify.getHeader().getID());
                  ack.getHeader().setFlag(Flags.QR);
                  ack.getHeader().setOpcode(Opcode.NOTIFY);
                  ack.addRecord(notify.getQuestion(), Section.QUESTION);
                  byte[] wire = ack.toWire();
                  secondary.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                } catch (SocketException closed) {
                  return;
                } catch (Exception e) {
                  notifies.add(new Message(0xdead));
                }
              }
            },
            "test-secondary");
    secondaryThread.start();

    zoneFile = dir.resolve("shop.example.zone");
    Files.writeString(zoneFile, zone(1, "127.0.0.80"));
    server =
        new AuthoritativeServer(
                TestDns.config(
                    "shop.example.=" + zoneFile,
                    AuthoritativeConfig.RateLimit.OFF,
                    new AuthoritativeConfig.Transfer(
                        "127.0.0.1/32", "127.0.0.1:" + secondary.getLocalPort()),
                    1))
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    secondary.close();
    secondaryThread.join(2000);
  }

  private long servedSerial() throws Exception {
    Message m = TestDns.ask(server.dnsPort(), false, "shop.example.", Type.SOA);
    return ((SOARecord) m.getSection(Section.ANSWER).get(0)).getSerial();
  }

  private String www() throws Exception {
    Message m = TestDns.ask(server.dnsPort(), true, "www.shop.example.", Type.A);
    return m.getSection(Section.ANSWER).get(0).rdataToString();
  }

  private double reloads(String result, String trigger) {
    return server
        .registry()
        .get("dns_zone_reloads")
        .tag("result", result)
        .tag("trigger", trigger)
        .counter()
        .count();
  }

  private HttpResponse<String> postReload() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/reload"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void editedZoneFileIsServedWithoutRestartAndSecondariesAreNotified() throws Exception {
    assertThat(servedSerial()).isEqualTo(1);
    Files.writeString(zoneFile, zone(2, "127.0.0.81"));

    Awaitility.await().atMost(Duration.ofSeconds(6)).until(() -> servedSerial() == 2);
    assertThat(www()).isEqualTo("127.0.0.81");
    assertThat(reloads("ok", "file_watch")).as("reloads by the watcher").isEqualTo(1.0);
    assertThat(reloads("ok", "admin")).isZero();

    Message notify = notifies.poll(5, TimeUnit.SECONDS);
    assertThat(notify).as("NOTIFY received").isNotNull();
    assertThat(notify.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
    assertThat(notify.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(notify.getHeader().getFlag(Flags.QR)).isFalse();
    assertThat(notify.getQuestion().getName()).isEqualTo(Name.fromString("shop.example."));
    assertThat(notify.getQuestion().getType()).isEqualTo(Type.SOA);
    assertThat(((SOARecord) notify.getSection(Section.ANSWER).get(0)).getSerial()).isEqualTo(2);
    // Acknowledged at the first try: exactly one NOTIFY.
    assertThat(notifies.poll(1500, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void brokenZoneFileIsRejectedWithFileAndLineAndTheOldZoneKeepsServing() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      // Line 6 is the broken one.
      Files.writeString(zoneFile, zone(3, "not-an-address"));
      HttpResponse<String> rejected = postReload();
      assertThat(rejected.statusCode()).isEqualTo(422);
      assertThat(rejected.body()).contains(zoneFile + ":6:");

      assertThat(servedSerial()).isEqualTo(1);
      assertThat(www()).isEqualTo("127.0.0.80");
      // The watcher sees the same broken edit on its own, and rejects it too.
      Awaitility.await()
          .atMost(Duration.ofSeconds(6))
          .until(() -> reloads("rejected", "file_watch") == 1.0);
      assertThat(reloads("rejected", "admin")).isEqualTo(1.0);
      assertThat(servedSerial()).isEqualTo(1);
      assertThat(logs.warnings())
          .extracting(ILoggingEvent::getFormattedMessage)
          .allSatisfy(line -> assertThat(line).contains(zoneFile + ":6:"))
          .isNotEmpty();
      assertThat(logs.warnings()).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
      assertThat(notifies).isEmpty();
    }

    Files.writeString(zoneFile, zone(4, "127.0.0.82"));
    HttpResponse<String> fixed = postReload();
    assertThat(fixed.statusCode()).isEqualTo(200);
    assertThat(fixed.body()).contains("shop.example. serial 4");
    assertThat(servedSerial()).isEqualTo(4);
    assertThat(www()).isEqualTo("127.0.0.82");
  }
}
