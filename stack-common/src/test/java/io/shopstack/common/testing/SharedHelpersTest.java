package io.shopstack.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared helpers against real processes and a real server: they must fail, not skip. */
class SharedHelpersTest {

  @Test
  void curlSplitsTheFinalResponseAfterAnInterimOne() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/echo",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("X-Served-By", "test");
          exchange.sendResponseHeaders(201, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      Curl.Response response =
          Curl.run(
              "-H",
              "Expect: 100-continue",
              "--data-binary",
              "趣谈网络协议",
              "http://127.0.0.1:" + server.getAddress().getPort() + "/echo");

      assertThat(response.status()).isEqualTo(201);
      assertThat(response.header("X-SERVED-BY")).isEqualTo("test");
      assertThat(response.body()).isEqualTo("趣谈网络协议");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aMissingToolFailsTheTestAndSaysWhich() {
    assertThatThrownBy(() -> ExternalCommand.run(Duration.ofSeconds(5), "no-such-tool-shopstack"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("cannot run 'no-such-tool-shopstack'");
  }

  @Test
  void aToolThatOutlivesItsTimeoutIsKilledAndFailsTheTest() {
    assertThatThrownBy(() -> ExternalCommand.run(Duration.ofMillis(200), "sleep", "30"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("did not finish within");
  }

  @Test
  void outputAndErrorsAreKeptApart() {
    ExternalCommand.Result result =
        ExternalCommand.run(Duration.ofSeconds(5), "sh", "-c", "echo out; echo err >&2; exit 3");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.output()).isEqualTo("out\n");
    assertThat(result.errors()).isEqualTo("err\n");
    assertThatThrownBy(result::assertSuccess).hasMessageContaining("exited with 3");
  }

  @Test
  void scrapeReadsLabelsWithEscapes() {
    MetricsScrape scrape =
        MetricsScrape.parse(
            "# TYPE x_total counter\n"
                + "x_total{instance=\"a\",path=\"q\\\"\\\\\"} 3.0\n"
                + "up 1.0\n");

    assertThat(scrape.seriesCount()).isEqualTo(2);
    assertThat(scrape.value("x_total", Map.of("path", "q\"\\"))).isEqualTo(3.0);
    assertThat(scrape.samples("up")).hasSize(1);
  }
}
