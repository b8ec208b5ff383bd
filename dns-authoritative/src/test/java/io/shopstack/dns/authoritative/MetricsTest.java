package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.shopstack.common.testing.MetricsScrape;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** What Prometheus scrapes from /metrics after a few real queries. */
class MetricsTest {
  private static AuthoritativeServer server;

  @TempDir static Path zones;

  @BeforeAll
  static void start() throws Exception {
    // 40 TXT records at one name: more than a 512-byte UDP answer can carry.
    StringBuilder big = new StringBuilder("$ORIGIN big.test.\n$TTL 60\n");
    big.append("@ IN SOA ns1 hostmaster 1 3600 900 604800 60\n@ IN NS ns1\nns1 IN A 127.0.0.1\n");
    for (int i = 0; i < 40; i++) {
      big.append("@ IN TXT \"record number ").append(i).append(" of many\"\n");
    }
    Path file = zones.resolve("big.test.zone");
    Files.writeString(file, big);
    server = TestDns.start("shop.example.=classpath:zones/shop.example.zone,big.test.=" + file);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void answersByTypeAndRcodeLatencyHistogramTruncationsAndSerials() throws Exception {
    for (int i = 0; i < 3; i++) {
      TestDns.ask(server.dnsPort(), false, "www.shop.example.", Type.A);
    }
    TestDns.ask(server.dnsPort(), true, "nope.shop.example.", Type.AAAA);
    SimpleResolver noTcpRetry = TestDns.resolver(server.dnsPort(), false);
    noTcpRetry.setIgnoreTruncation(true);
    Message truncated = noTcpRetry.send(TestDns.query("big.test.", Type.TXT));
    assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();

    MetricsScrape metrics = MetricsScrape.of(server.adminPort());
    assertThat(metrics.value("dns_answers_total", Map.of("qtype", "A", "rcode", "NOERROR")))
        .isEqualTo(3.0);
    assertThat(metrics.value("dns_answers_total", Map.of("qtype", "AAAA", "rcode", "NXDOMAIN")))
        .isEqualTo(1.0);
    assertThat(metrics.samples("dns_query_duration_seconds_bucket"))
        .isNotEmpty()
        .allSatisfy(bucket -> assertThat(bucket.labels()).containsKey("le"));
    // One answer in 16 per event loop is timed, the first of each: here one per loop that answered
    // (DnsServerMetricsTest checks the sampling exactly).
    assertThat(metrics.value("dns_query_duration_seconds_count", Map.of("instance", "test")))
        .isBetween(1.0, 5.0);
    assertThat(metrics.value("dns_truncated_answers_total", Map.of("instance", "test")))
        .isEqualTo(1.0);
    assertThat(metrics.value("dns_zone_serial", Map.of("zone", "shop.example.")))
        .isEqualTo(2_024_070_101.0);
  }

  @Test
  void queryTypesChosenBySendersCannotGrowTheNumberOfSeries() throws Exception {
    // 5,000 well-formed queries of random types: each sender picks its label value, and labelling
    // by it as sent once grew /metrics to 4,800 series. The labels must come from a closed set.
    Random random = new Random(7873);
    try (AuthoritativeServer own =
            TestDns.start("shop.example.=classpath:zones/shop.example.zone");
        DatagramSocket udp = new DatagramSocket()) {
      udp.setSoTimeout(2000);
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", own.dnsPort());
      byte[] buffer = new byte[4096];
      for (int i = 0; i < 5_000; i++) {
        int type = random.nextInt(65536);
        Message query =
            Message.newQuery(Record.newRecord(Name.fromString("www.shop.example."), Type.A, 1));
        byte[] wire = query.toWire();
        int typeOffset = wire.length - 4; // the question's TYPE, set raw: any of the 65,536
        wire[typeOffset] = (byte) (type >> 8);
        wire[typeOffset + 1] = (byte) type;
        udp.send(new DatagramPacket(wire, wire.length, target));
        udp.receive(new DatagramPacket(buffer, buffer.length));
      }
      assertSeriesBounded(own);
    }
  }

  private static void assertSeriesBounded(AuthoritativeServer own) throws Exception {
    Collection<Meter> answers = own.registry().find("dns_answers").meters();
    Set<String> types = new HashSet<>();
    for (Meter meter : answers) {
      types.add(meter.getId().getTag("qtype"));
    }
    assertThat(types).contains("other").doesNotContain("TYPE65000");
    // A bound the closed sets allow (about 25 types and a dozen rcodes), far below thousands.
    assertThat(answers).hasSizeLessThan(100);
    MetricsScrape metrics = MetricsScrape.of(own.adminPort());
    assertThat(metrics.samples("dns_answers_total")).hasSameSizeAs(answers);
    assertThat(metrics.text().length()).as("bytes of /metrics").isLessThan(64 * 1024);
  }
}
