package io.shopstack.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.client.fixture.HttpFixture;
import io.shopstack.client.fixture.HttpFixture.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client against a real ServerSocket that sends exactly the bytes each test scripts. */
class SocketHttpClientTest {
  private static final InetAddress CLIENT = address("127.0.0.9");
  private final SocketHttpClient client =
      new SocketHttpClient(CLIENT, Duration.ofSeconds(3), Duration.ofSeconds(3));

  @Test
  void readsExactlyContentLengthWithoutWaitingForTheServerToClose() throws Exception {
    try (HttpFixture server =
        HttpFixture.answering(
            r ->
                Reply.heldOpen(
                    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Cache: MISS\r\n\r\nhello"))) {
      long start = System.nanoTime();
      HttpExchange exchange =
          client.send(server.address(), HttpRequest.get("static.shop.example", "/p"));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(exchange.response().bodyText()).isEqualTo("hello");
      assertThat(exchange.header("x-cache")).isEqualTo("MISS");
    }
  }

  @Test
  void decodesChunkedBodiesWithExtensionsAndTrailers() throws Exception {
    String chunked =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
            + "5;name=value\r\nhello\r\n"
            + "7 ; quoted=\"a;b\"\r\n, world\r\n"
            + "0;last\r\nX-Checksum: abc123\r\nX-Other: 1\r\n\r\n";
    try (HttpFixture server = HttpFixture.answering(r -> Reply.heldOpen(chunked))) {
      HttpExchange exchange = client.send(server.address(), HttpRequest.get("h", "/"));

      assertThat(exchange.response().bodyText()).isEqualTo("hello, world");
      assertThat(exchange.response().trailers().get("X-Checksum")).isEqualTo("abc123");
      assertThat(exchange.response().trailers().get("X-Other")).isEqualTo("1");
    }
  }

  @Test
  void chunkedWinsOverAContentLengthThatContradictsIt() throws Exception {
    String both =
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    try (HttpFixture server = HttpFixture.answering(r -> Reply.heldOpen(both))) {
      assertThat(client.send(server.address(), HttpRequest.get("h", "/")).response().bodyText())
          .isEqualTo("abc");
    }
  }

  @Test
  void decodesUtf8BodiesCountedInBytes() throws Exception {
    String json = "{\"className\": \"趣谈网络协议\", \"Author\": \"刘超\"}";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 201 Created\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    try (HttpFixture server =
        HttpFixture.answering(
            r -> Reply.of(concat(head.getBytes(StandardCharsets.US_ASCII), body)))) {
      HttpExchange exchange = client.send(server.address(), HttpRequest.get("h", "/"));

      assertThat(exchange.response().bodyText()).isEqualTo(json);
    }
  }

  @Test
  void withoutFramingTheBodyEndsWhenTheServerCloses() throws Exception {
    try (HttpFixture server =
        HttpFixture.answering(r -> Reply.of("HTTP/1.1 200 OK\r\n\r\nuntil close"))) {
      assertThat(client.send(server.address(), HttpRequest.get("h", "/")).response().bodyText())
          .isEqualTo("until close");
    }
  }

  @Test
  void skipsInterimResponsesAndNoBodyStatuses() throws Exception {
    try (HttpFixture server =
        HttpFixture.answering(
            r ->
                Reply.heldOpen(
                    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX-A: b\r\n\r\n"))) {
      HttpExchange exchange = client.send(server.address(), HttpRequest.get("h", "/"));

      assertThat(exchange.status()).isEqualTo(204);
      assertThat(exchange.header("X-A")).isEqualTo("b");
      assertThat(exchange.response().body()).isEmpty();
    }
  }

  @Test
  void aMalformedStatusLineIsAClearException() throws Exception {
    try (HttpFixture server = HttpFixture.answering(r -> Reply.of("SSH-2.0-OpenSSH_9.2\r\n\r\n"))) {
      assertThatThrownBy(() -> client.send(server.address(), HttpRequest.get("h", "/")))
          .isInstanceOf(MalformedResponseException.class)
          .hasMessageContaining("malformed response from " + endpoint(server.address()))
          .hasMessageContaining("status line")
          .hasMessageContaining("SSH-2.0-OpenSSH_9.2");
    }
  }

  @Test
  void framingErrorsAreNamed() throws Exception {
    List<String[]> cases =
        List.of(
            new String[] {
              "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "closed after 3 of 10 body bytes"
            },
            new String[] {
              "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
              "invalid Content-Length"
            },
            new String[] {
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
              "bad chunk size line \"zz\""
            },
            new String[] {
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
              "not followed by CRLF"
            },
            new String[] {"HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n", "bad header field"},
            new String[] {"HTTP/1.1 200 OK\r\nContent-Le", "closed in the middle of the header"},
            new String[] {"", "closed the connection without a response"});
    for (String[] c : cases) {
      try (HttpFixture server = HttpFixture.answering(r -> Reply.of(c[0]))) {
        assertThatThrownBy(() -> client.send(server.address(), HttpRequest.get("h", "/")))
            .as(c[0])
            .isInstanceOf(MalformedResponseException.class)
            .hasMessageContaining(c[1]);
      }
    }
  }

  @Test
  void theReadTimeoutBoundsTheWholeResponseEvenWhenBytesKeepDripping() throws Exception {
    byte[][] drip = new byte[30][];
    for (int i = 0; i < drip.length; i++) {
      drip[i] =
          (i == 0 ? "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" : "x")
              .getBytes(StandardCharsets.US_ASCII);
    }
    SocketHttpClient impatient =
        new SocketHttpClient(CLIENT, Duration.ofSeconds(1), Duration.ofMillis(500));
    try (HttpFixture server =
        HttpFixture.answering(r -> new Reply(List.of(drip), Duration.ofMillis(100), false))) {
      long start = System.nanoTime();

      assertThatThrownBy(() -> impatient.send(server.address(), HttpRequest.get("h", "/")))
          .hasMessageContaining(
              "no complete response from " + endpoint(server.address()) + " within 500 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    }
  }

  @Test
  void aRefusedConnectionNamesThePeer() throws Exception {
    InetSocketAddress closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = (InetSocketAddress) probe.getLocalSocketAddress();
    }
    assertThatThrownBy(() -> client.send(closed, HttpRequest.get("h", "/")))
        .isInstanceOf(IOException.class)
        .hasMessage("connection refused by " + endpoint(closed));
  }

  @Test
  void sendsFromTheClientAddressAndPutsTheRequestOnTheWireAsWritten() throws Exception {
    String json = "{\"order\": {\"className\": \"趣谈网络协议\", \"Author\": \"刘超\"}}";
    try (HttpFixture server =
        HttpFixture.answering(r -> Reply.of("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"))) {
      HttpRequest request =
          HttpRequest.post(
              "www.shop.example",
              "/purchaseOrder",
              "application/json; charset=utf-8",
              json.getBytes(StandardCharsets.UTF_8));

      HttpExchange exchange = client.send(server.address(), request);

      HttpFixture.Received seen = server.received().get(0);
      assertThat(seen.client()).isEqualTo(exchange.local());
      assertThat(exchange.local().getAddress()).isEqualTo(CLIENT);
      assertThat(exchange.remote()).isEqualTo(server.address());
      assertThat(seen.requestLine()).isEqualTo("POST /purchaseOrder HTTP/1.1");
      assertThat(seen.header("Host")).isEqualTo("www.shop.example");
      assertThat(seen.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
      assertThat(seen.header("Content-Length"))
          .isEqualTo(String.valueOf(json.getBytes(StandardCharsets.UTF_8).length));
      assertThat(seen.header("X-Request-Id"))
          .isEqualTo(request.requestId())
          .matches("[0-9a-f-]{36}");
      assertThat(new String(seen.body(), StandardCharsets.UTF_8)).isEqualTo(json);
    }
  }

  @Test
  void headerInjectionIsRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> HttpRequest.get("h\r\nX-Evil: 1", "/"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String endpoint(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
