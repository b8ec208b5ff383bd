package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.MetricsScrape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/** What an edge cache or curl sees on the wire: plain HTTP requests, no S3 client. */
@ObjectStoreTest
class HttpIntegrationTests {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort int port;
  @LocalManagementPort int adminPort;

  @Test
  void seededProductImageIsARealPngWithCacheHeaders() throws Exception {
    HttpResponse<byte[]> response = get("/images/course-1001.png");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");
    assertThat(response.headers().firstValue("ETag"))
        .hasValueSatisfying(e -> assertThat(e).matches("\"[0-9a-f]{32}\""));
    assertThat(response.headers().firstValue("Last-Modified")).isPresent();
    assertThat(response.headers().firstValue("X-Served-By")).hasValue("object-store-test");
    assertThat(response.headers().firstValue("x-amz-request-id")).isPresent();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(480);
    assertThat(get("/images/course-1003.png").statusCode()).isEqualTo(200);
    // different skus, different pictures
    assertThat(get("/images/course-1002.png").body()).isNotEqualTo(response.body());
  }

  @Test
  void rangeRequestsGetPartialContent() throws Exception {
    byte[] whole = get("/images/course-1002.png").body();

    HttpResponse<byte[]> partial =
        send(request("/images/course-1002.png").header("Range", "bytes=0-7"));
    assertThat(partial.statusCode()).isEqualTo(206);
    assertThat(partial.headers().firstValue("Content-Range")).hasValue("bytes 0-7/" + whole.length);
    assertThat(partial.body()).isEqualTo(Arrays.copyOf(whole, 8)); // the PNG signature
    assertThat(partial.body()[1]).isEqualTo((byte) 'P');

    HttpResponse<byte[]> suffix =
        send(request("/images/course-1002.png").header("Range", "bytes=-10"));
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 10, whole.length));

    HttpResponse<byte[]> beyond =
        send(request("/images/course-1002.png").header("Range", "bytes=" + whole.length + "-"));
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(new String(beyond.body(), StandardCharsets.UTF_8))
        .contains("<Code>InvalidRange</Code>");
  }

  @Test
  void conditionalRequestsRevalidateWith304() throws Exception {
    HttpResponse<byte[]> first = get("/images/course-1001.png");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();

    HttpResponse<byte[]> byEtag =
        send(request("/images/course-1001.png").header("If-None-Match", etag));
    assertThat(byEtag.statusCode()).isEqualTo(304);
    assertThat(byEtag.body()).isEmpty();
    assertThat(byEtag.headers().firstValue("ETag")).hasValue(etag);

    HttpResponse<byte[]> byDate =
        send(request("/images/course-1001.png").header("If-Modified-Since", lastModified));
    assertThat(byDate.statusCode()).isEqualTo(304);

    HttpResponse<byte[]> changed =
        send(request("/images/course-1001.png").header("If-None-Match", "\"0123\""));
    assertThat(changed.statusCode()).isEqualTo(200);

    HttpResponse<byte[]> ifMatchFails =
        send(request("/images/course-1001.png").header("If-Match", "\"0123\""));
    assertThat(ifMatchFails.statusCode()).isEqualTo(412);
  }

  @Test
  void missingObjectIsAnS3ErrorDocument() throws Exception {
    HttpResponse<byte[]> response =
        send(request("/images/nope.png").header("X-Request-Id", "journey-42"));
    String body = new String(response.body(), StandardCharsets.UTF_8);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(body).contains("<Code>NoSuchKey</Code>", "<Resource>/images/nope.png</Resource>");
    assertThat(body)
        .contains("<RequestId>" + response.headers().firstValue("x-amz-request-id").orElseThrow());
    assertThat(response.headers().firstValue("X-Request-Id")).hasValue("journey-42");
    assertThat(send(signed("GET", "/no-such-bucket/x", new byte[0], Map.of())).statusCode())
        .isEqualTo(404);
    assertThat(
            new String(
                send(signed("GET", "/Bad_Bucket/x", new byte[0], Map.of())).body(),
                StandardCharsets.UTF_8))
        .contains("<Code>InvalidBucketName</Code>");
  }

  @Test
  void pathTraversalIsRefusedWith400() throws Exception {
    // raw sockets: HTTP clients would normalise these paths away before sending them
    assertThat(rawStatus("GET /images/a/../course-1001.png")).isEqualTo(400);
    assertThat(rawStatus("GET /images/a/%2e%2e/course-1001.png")).isEqualTo(400);
    assertThat(rawStatus("GET /images/../../../etc/passwd")).isEqualTo(400);
    assertThat(rawStatus("GET /images/%2Fetc%2Fpasswd")).isEqualTo(400);
    assertThat(rawStatus("GET /images//etc/passwd")).isEqualTo(400);
    assertThat(get("/images/course-1001.png").statusCode()).isEqualTo(200);
  }

  @Test
  void oversizedBodyGets413AndTheServerKeepsServing() throws Exception {
    byte[] tooBig = new byte[512 * 1024]; // the test limit is 256 KiB
    HttpResponse<byte[]> response = send(signed("PUT", "/images/too-big.bin", tooBig, Map.of()));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .contains("<Code>EntityTooLarge</Code>");
    assertThat(get("/images/too-big.bin").statusCode()).isEqualTo(404);

    // chunked transfer: no Content-Length to refuse up front, the limit is enforced while reading
    HttpResponse<byte[]> streamed =
        send(
            SignedHttp.sign(
                    "PUT",
                    uri("/images/too-big-stream.bin"),
                    new byte[0],
                    Map.of(),
                    SignedHttp.SECRET_KEY,
                    r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false))
                .toJdk()
                .PUT(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(tooBig))));
    assertThat(streamed.statusCode()).isEqualTo(413);
    assertThat(get("/images/too-big-stream.bin").statusCode()).isEqualTo(404);

    assertThat(get("/images/course-1001.png").statusCode()).isEqualTo(200);
  }

  @Test
  void putThenGetOverPlainHttp() throws Exception {
    HttpResponse<byte[]> put =
        send(
            signed(
                "PUT",
                "/images/pages/hello.txt",
                "趣谈网络协议".getBytes(StandardCharsets.UTF_8),
                Map.of(
                    "Content-Type",
                    "text/plain; charset=utf-8",
                    "x-amz-meta-course",
                    "network-protocols")));
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(put.headers().firstValue("ETag")).isPresent();

    HttpResponse<byte[]> got = get("/images/pages/hello.txt");
    assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("趣谈网络协议");
    assertThat(got.headers().firstValue("x-amz-meta-course")).hasValue("network-protocols");
    assertThat(got.headers().firstValue("ETag")).isEqualTo(put.headers().firstValue("ETag"));

    String listing =
        new String(
            send(signed("GET", "/images?list-type=2&prefix=pages/", new byte[0], Map.of())).body(),
            StandardCharsets.UTF_8);
    assertThat(listing).contains("<Key>pages/hello.txt</Key>", "<Size>18</Size>");
  }

  @Test
  void adminPortServesHealthAndPrometheusMetrics() throws Exception {
    HttpResponse<String> health =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("UP");

    get("/images/course-1001.png"); // unsigned: the fast path, which counts itself
    send(signed("GET", "/images/course-1001.png", new byte[0], Map.of())); // the MVC path
    MetricsScrape metrics = MetricsScrape.of(adminPort);
    assertThat(metrics.samples("http_server_requests_seconds_count"))
        .anySatisfy(
            s ->
                assertThat(s.labels())
                    .containsEntry("instance", "object-store-test")
                    .containsEntry("uri", "/{bucket}/{*key}"));
    assertThat(
            metrics.value(
                "objectstore_fastpath_responses_total",
                Map.of("instance", "object-store-test", "status", "200")))
        .isPositive();

    // a path the admin port does not have: 404, not a 500 logged as an error
    HttpResponse<String> unknown =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/images/x.png"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpRequest.Builder signed(
      String method, String path, byte[] body, Map<String, String> headers) {
    return SignedHttp.sign(method, uri(path), body, headers).toJdk();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10));
  }

  private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return send(request(path));
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private int rawStatus(String requestLine) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
