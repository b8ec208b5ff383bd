package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
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

  private static String scrape() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.adminPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
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

    String metrics = scrape();
    assertThat(metrics)
        .contains("dns_answers_total{instance=\"test\",qtype=\"A\",rcode=\"NOERROR\"} 3.0")
        .contains("dns_answers_total{instance=\"test\",qtype=\"AAAA\",rcode=\"NXDOMAIN\"} 1.0");
    assertThat(metrics)
        .containsPattern(
            "dns_query_duration_seconds_bucket\\{instance=\"test\",le=\"[0-9.E-]+\"\\}")
        .contains("dns_query_duration_seconds_count{instance=\"test\"} 5");
    assertThat(metrics).contains("dns_truncated_answers_total{instance=\"test\"} 1.0");
    assertThat(metrics)
        .contains("dns_zone_serial{instance=\"test\",zone=\"shop.example.\"} 2.024070101E9");
  }
}
