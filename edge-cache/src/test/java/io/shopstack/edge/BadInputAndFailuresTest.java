package io.shopstack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.Curl;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens when clients or origins misbehave: every case gets an answer that says what went
 * wrong, and the cache keeps serving everyone else.
 */
class BadInputAndFailuresTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private OriginFixture origin;
  private int deadPort;
  private EdgeCacheServer edge;

  @BeforeEach
  void start() throws Exception {
    origin = new OriginFixture("origin");
    try (ServerSocket reserved =
        new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      deadPort = reserved.getLocalPort();
    }
    String routes =
        origin.route("/products/")
            + ",/gone/=127.0.0.1:"
            + deadPort
            + ",/named/=object-store@127.0.0.1:"
            + deadPort;
    edge = new EdgeCacheServer(EdgeConfigs.localWithSmallLimits("edge-south", routes)).start();
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path));
  }

  @Test
  void anUnreachableOriginIs502WithABody() throws Exception {
    HttpResponse<String> response = send(request("/gone/page"));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("cannot connect to origin 127.0.0.1:" + deadPort);
    assertThat(response.headers().firstValue("X-Served-By")).hasValue("edge-south");
    assertThat(send(request("/products/still-fine")).statusCode()).isEqualTo(200);
  }

  @Test
  void aNamedOriginIsNamedInTheErrorBodyAndItsAddressIsNot() throws Exception {
    HttpResponse<String> response = send(request("/named/image.jpg"));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body())
        .contains("cannot connect to origin object-store")
        .doesNotContain("127.0.0.1")
        .doesNotContain(String.valueOf(deadPort));
  }

  @Test
  void twoHostHeadersAre400AndNeverReachTheOrigin() throws Exception {
    String answer =
        rawExchange(
            "GET /products/1 HTTP/1.1\r\nHost: shop\r\nHost: evil\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400").contains("more than one Host header");
    assertThat(origin.requests()).isZero();
  }

  @Test
  void aClientTricklingItsHeadersGets408AtTheHeadDeadline() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", edge.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /products/1 HTTP/1.1\r\nHost: shop\r\n".getBytes(StandardCharsets.US_ASCII));
      // One header every 200 ms keeps the connection from ever being idle (5 s here); only the
      // head deadline (600 ms) can end it. Without one this loop runs out and the read times out.
      try {
        for (int i = 0; i < 40 && !socket.isInputShutdown(); i++) {
          Thread.sleep(200);
          out.write(("X-Slow-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          if (socket.getInputStream().available() > 0) {
            break;
          }
        }
        // A client that has not read yet keeps trickling. Had the cache closed at once, these
        // bytes would meet a closed socket and the reset would destroy the unread 408; it lingers.
        for (int i = 0; i < 3; i++) {
          Thread.sleep(50);
          out.write(("X-After-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (IOException closedByTheCache) {
        throw new AssertionError("the cache reset the connection under the 408", closedByTheCache);
      }
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(answer).startsWith("HTTP/1.1 408").contains("request head not complete");
      assertThat(origin.requests()).isZero();
    }
  }

  @Test
  void theHeadDeadlineCountsPerRequestOnAKeepAliveConnection() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", edge.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // Quick requests over twice the deadline (600 ms) in all: none may be cut by a timer that
      // was set for an earlier head.
      for (int i = 0; i < 6; i++) {
        out.write(
            "GET /products/1 HTTP/1.1\r\nHost: shop\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
        Thread.sleep(250);
      }
      // Then one that trickles: it gets its 408 on its own deadline.
      out.write("GET /products/2 HTTP/1.1\r\nHost: shop\r\n".getBytes(StandardCharsets.US_ASCII));
      try {
        for (int i = 0; i < 40 && in.available() == 0; i++) {
          Thread.sleep(200);
          out.write(("X-Slow-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (IOException closedByTheCache) {
        // expected once the 408 is out
      }
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .startsWith("HTTP/1.1 408")
          .contains("request head not complete");
    }
  }

  @Test
  void connectionsOverTheCapAreClosedAndTheOnesInKeepBeingServed() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 51; i++) { // the cap in localWithSmallLimits is 50
        sockets.add(new Socket("127.0.0.1", edge.port()));
      }
      // Listeners may accept in parallel, so which one is refused is not fixed: count them.
      int answered = 0;
      int refused = 0;
      for (Socket socket : sockets) {
        socket.setSoTimeout(5000);
        try {
          socket
              .getOutputStream()
              .write(
                  "GET /products/1 HTTP/1.1\r\nHost: shop\r\n\r\n"
                      .getBytes(StandardCharsets.US_ASCII));
          if (readResponse(socket.getInputStream()).startsWith("HTTP/1.1 200")) {
            answered++;
          } else {
            refused++;
          }
        } catch (IOException reset) {
          refused++;
        }
      }

      assertThat(answered).isEqualTo(50);
      assertThat(refused).isEqualTo(1);
      assertThat(edge.registry().scrape())
          .contains("edge_client_connections_refused_total")
          // The 50 held connections, the gauge the GSLB's load-aware weights read.
          .containsPattern("edge_client_connections_open\\{[^}]*\\} 50\\.0");
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsNotCutByTheHeadDeadline() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", edge.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] request =
          "GET /products/k HTTP/1.1\r\nHost: shop\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      out.write(request);
      String first = readResponse(in);
      // Idle between requests for longer than the head deadline: that is the idle timeout's job.
      Thread.sleep(1000);
      out.write(request);
      String second = readResponse(in);

      assertThat(first).startsWith("HTTP/1.1 200");
      assertThat(second).startsWith("HTTP/1.1 200").contains("x-cache: HIT");
    }
  }

  /** One response with a Content-Length body, read off a kept-alive connection. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    }
    return head.toString();
  }

  @Test
  void aSlowOriginIs504() throws Exception {
    origin.answer("/products/slow", Answer.cacheable(60, "late").delayed(1500));

    HttpResponse<String> response = send(request("/products/slow"));

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body()).contains("did not answer within 400 ms");
    assertThat(edge.registry().scrape()).contains("kind=\"timeout\"");
  }

  @Test
  void aMalformedRequestLineIs400AndTheNextClientIsServed() throws Exception {
    String answer = rawExchange("GET /products/1 HTTP/9.x\r\nHost: shop\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400 Bad Request");
    assertThat(answer).contains("malformed HTTP request").contains("Invalid version");
    assertThat(answer).containsIgnoringCase("connection: close");
    assertThat(send(request("/products/1")).statusCode()).isEqualTo(200);
  }

  @Test
  void anHttp11RequestWithoutHostIs400() throws Exception {
    String answer = rawExchange("GET /products/1 HTTP/1.1\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400").contains("without a Host header");
  }

  @Test
  void anOversizedBodyIs413AndTheNextClientIsServed() throws Exception {
    HttpResponse<String> response =
        send(request("/products/1").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("request body larger than 1024 bytes");
    assertThat(origin.requests()).isZero();
    assertThat(send(request("/products/1")).statusCode()).isEqualTo(200);
  }

  @Test
  void curlExpectingContinueGetsA413InsteadOfA100(@TempDir Path dir) throws Exception {
    Path body = dir.resolve("upload.bin");
    Files.write(body, new byte[4096]);
    String url = "http://127.0.0.1:" + edge.port() + "/products/upload";

    Curl.Response response =
        Curl.run("-H", "Expect: 100-continue", "--data-binary", "@" + body, url);

    assertThat(response.raw()).startsWith("HTTP/1.1 413");
    assertThat(response.body()).contains("request body larger than 1024 bytes");
    assertThat(origin.requests()).isZero();
  }

  @Test
  void responsesLargerThanTheMaxObjectSizeArePassedButNotStored() throws Exception {
    String big = "x".repeat(5000); // over maxObjectBytes (2048), under maxResponseBytes
    origin.answer("/products/big", Answer.cacheable(60, big));

    HttpResponse<String> first = send(request("/products/big"));
    HttpResponse<String> second = send(request("/products/big"));

    assertThat(first.body()).isEqualTo(big);
    assertThat(second.body()).isEqualTo(big);
    assertThat(second.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(origin.requests("/products/big")).isEqualTo(2);
  }

  @Test
  void aLarge200IsRelayedWholeButALargeResponseReadWholeIs502() throws Exception {
    // maxResponseBytes is 65536 here: a 200 streams past it, other answers are read whole.
    origin.answer("/products/huge", Answer.cacheable(60, "y".repeat(70_000)));
    origin.answer("/products/huge-404", Answer.status(404, Map.of(), "n".repeat(70_000)));

    HttpResponse<String> streamed = send(request("/products/huge"));
    HttpResponse<String> whole = send(request("/products/huge-404"));

    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamed.body()).hasSize(70_000);
    assertThat(whole.statusCode()).isEqualTo(502);
    assertThat(whole.body()).contains("larger than 65536 bytes");
  }

  @Test
  void concurrentMissesForOneKeyShareOneOriginFetch() throws Exception {
    origin.answer("/products/popular", Answer.cacheable(60, "everyone wants it").delayed(250));

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      responses.add(
          http.sendAsync(
              request("/products/popular").timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString()));
    }

    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertThat(response.get(5, TimeUnit.SECONDS).body()).isEqualTo("everyone wants it");
    }
    assertThat(origin.requests("/products/popular")).isEqualTo(1);
  }

  @Test
  void uncacheableConcurrentMissesEachFetchForThemselves() throws Exception {
    origin.answer(
        "/products/mine",
        Answer.withHeaders(Map.of("Cache-Control", "private"), "per user").delayed(150));

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      responses.add(
          http.sendAsync(
              request("/products/mine").timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString()));
    }

    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertThat(response.get(5, TimeUnit.SECONDS).headers().firstValue("X-Cache"))
          .hasValue("MISS");
    }
    assertThat(origin.requests("/products/mine")).isEqualTo(3);
  }

  @Test
  void curlSeesAMissThenAHit() throws Exception {
    String url = "http://127.0.0.1:" + edge.port() + "/products/curl";
    Curl.Response first = Curl.run(url);
    Curl.Response second = Curl.run(url);

    assertThat(first.header("X-Cache")).isEqualTo("MISS");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.header("X-Cache")).isEqualTo("HIT");
    assertThat(second.header("Via")).isEqualTo("1.1 edge-south (shop-stack-edge)");
    assertThat(second.header("X-Served-By")).isEqualTo("origin, edge-south");
    assertThat(second.header("Age")).isNotNull();
  }

  private String rawExchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", edge.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"102 Processing", "103 Early Hints", "100 Continue"})
  void anInterimResponseFromTheOriginIsSkippedAndTheFinalOneDelivered(String interim)
      throws Exception {
    try (ServerSocket hinting = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Thread origin =
          new Thread(
              () -> {
                try (Socket s = hinting.accept()) {
                  s.getInputStream().read(new byte[4096]);
                  s.getOutputStream()
                      .write(
                          ("HTTP/1.1 "
                                  + interim
                                  + "\r\nLink: </style.css>; rel=preload\r\n\r\n"
                                  + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                                  + "Cache-Control: max-age=60\r\n\r\nfinal")
                              .getBytes(StandardCharsets.US_ASCII));
                  s.getInputStream().read(new byte[1]); // until the cache closes
                } catch (IOException ignored) {
                  // the assertion below reports what the edge made of it
                }
              });
      origin.start();
      edge.close();
      edge =
          new EdgeCacheServer(
                  EdgeConfigs.localWithSmallLimits(
                      "edge-south", "/hints/=127.0.0.1:" + hinting.getLocalPort()))
              .start();

      HttpResponse<String> response = send(request("/hints/page"));
      HttpResponse<String> again = send(request("/hints/page"));

      origin.join(5000);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("final");
      assertThat(again.headers().firstValue("X-Cache")).hasValue("HIT");
    }
  }

  @Test
  void anOriginStatusLineWithoutReasonPhraseGetsTheStandardOne() throws Exception {
    try (ServerSocket tomcatLike =
        new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Thread origin =
          new Thread(
              () -> {
                try (Socket s = tomcatLike.accept()) {
                  s.getInputStream().read(new byte[4096]);
                  // What Tomcat 11 sends: no reason phrase after the code.
                  s.getOutputStream()
                      .write(
                          "HTTP/1.1 201 \r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                              .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                  // the assertion below reports what the edge made of it
                }
              });
      origin.start();
      edge.close();
      edge =
          new EdgeCacheServer(
                  EdgeConfigs.local(
                      "edge-south",
                      "/bare/=127.0.0.1:" + tomcatLike.getLocalPort() + ";allow=POST"))
              .start();

      String answer =
          rawExchange(
              "POST /bare/x HTTP/1.1\r\nHost: shop\r\nContent-Length: 2\r\n"
                  + "Connection: close\r\n\r\n{}");

      origin.join(5000);
      assertThat(answer).startsWith("HTTP/1.1 201 Created\r\n").endsWith("ok");
    }
  }
}
