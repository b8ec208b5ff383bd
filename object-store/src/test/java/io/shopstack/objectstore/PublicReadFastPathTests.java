package io.shopstack.objectstore;

import static io.shopstack.objectstore.StoreSdk.random;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.ExternalCommand;
import io.shopstack.common.testing.MetricsScrape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The sendfile fast path (object.PublicReadFastPath) against the Spring MVC path it stands in for,
 * byte for byte: each request is sent unsigned (fast path, for what it answers) and signed (always
 * the MVC path) on raw sockets, and the two answers must have the same status line, the same
 * headers but Date and x-amz-request-id, and the same body. The fast path's own counter proves
 * which requests it answered, so a fast path that silently hands everything on cannot pass.
 */
@ObjectStoreTest
@ExtendWith(OutputCaptureExtension.class)
class PublicReadFastPathTests {

  @RegisterExtension static final StoreSdk sdk = new StoreSdk();

  private static final String BUCKET = "images"; // public-read in object-store.yml
  private static final int SIX_MIB = 6 * 1024 * 1024;
  private static byte[] photo;
  private static byte[] large;

  @LocalServerPort int port;
  @LocalManagementPort int adminPort;

  @BeforeEach
  void upload() {
    if (photo != null) {
      return;
    }
    photo = random(200_000, 7);
    large = random(SIX_MIB + 12_345, 8);
    sdk.s3()
        .putObject(
            b ->
                b.bucket(BUCKET)
                    .key("fast/photo.png")
                    .contentType("image/png; name=\"photo\"")
                    .cacheControl("public, max-age=60")
                    .contentDisposition("attachment; filename=photo.png")
                    .expires(java.time.Instant.parse("2030-01-01T00:00:00Z"))
                    .metadata(Map.of("sku", "course-1001")),
            RequestBody.fromBytes(Arrays.copyOf(photo, 100_000)));
    // the object's real content comes as a second version, so a stale sidecar read would show
    sdk.s3()
        .putObject(
            b -> b.bucket(BUCKET).key("fast/photo.png").contentType("image/png; name=\"photo\""),
            RequestBody.fromBytes(photo));
    sdk.s3().putObject(b -> b.bucket(BUCKET).key("fast/empty"), RequestBody.fromBytes(new byte[0]));
    String upload =
        sdk.s3().createMultipartUpload(b -> b.bucket(BUCKET).key("fast/large.bin")).uploadId();
    int half = 5 * 1024 * 1024;
    String first =
        sdk.s3()
            .uploadPart(
                b -> b.bucket(BUCKET).key("fast/large.bin").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(Arrays.copyOfRange(large, 0, half)))
            .eTag();
    String second =
        sdk.s3()
            .uploadPart(
                b -> b.bucket(BUCKET).key("fast/large.bin").uploadId(upload).partNumber(2),
                RequestBody.fromBytes(Arrays.copyOfRange(large, half, large.length)))
            .eTag();
    sdk.s3()
        .completeMultipartUpload(
            b ->
                b.bucket(BUCKET)
                    .key("fast/large.bin")
                    .uploadId(upload)
                    .multipartUpload(
                        m ->
                            m.parts(
                                CompletedPart.builder().partNumber(1).eTag(first).build(),
                                CompletedPart.builder().partNumber(2).eTag(second).build())));
  }

  @Test
  void answersAsTheMvcPathDoesAndCountsWhatItServed() throws Exception {
    String etag = sdk.s3().headObject(b -> b.bucket(BUCKET).key("fast/photo.png")).eTag();
    String modified =
        send(request("/images/fast/photo.png", Map.of()))
            .headers()
            .get("last-modified")
            .get(0)
            .substring("Last-Modified:".length());
    double servedBefore = fastPathCount();
    int fastAnswers = 0;
    for (Case c :
        List.of(
            new Case("/images/fast/photo.png", Map.of(), 200),
            new Case("/images/fast/photo.png", Map.of("X-Request-Id", "journey-68"), 200),
            new Case("/images/fast/photo.png", Map.of("Range", "bytes=0-9"), 206),
            new Case("/images/fast/photo.png", Map.of("Range", "bytes=-5"), 206),
            new Case("/images/fast/photo.png", Map.of("Range", "bytes=199990-"), 206),
            new Case("/images/fast/photo.png", Map.of("Range", "bytes=5-2"), 200),
            new Case("/images/fast/photo.png", Map.of("Range", "bytes=1-2", "If-Range", etag), 206),
            new Case(
                "/images/fast/photo.png", Map.of("Range", "bytes=1-2", "If-Range", "\"x\""), 200),
            new Case("/images/fast/photo.png", Map.of("If-Match", etag), 200),
            new Case("/images/fast/photo.png", Map.of("If-None-Match", "\"other\""), 200),
            new Case("/images/fast/photo.png", Map.of("If-Modified-Since", modified), 304),
            new Case("/images/fast/photo.png", Map.of("If-None-Match", etag), 304),
            new Case("/images/fast/photo.png", Map.of("If-Match", "\"other\""), 412),
            new Case("/images/fast/photo.png", Map.of("Range", "bytes=200000-"), 416),
            new Case("/images/fast/empty", Map.of(), 200),
            new Case("/images/fast/large.bin", Map.of(), 200),
            new Case("/images/fast/large.bin", Map.of("Range", "bytes=5242870-5242890"), 206),
            new Case("/images/fast/missing.png", Map.of(), 404))) {
      Answer fast = send(request(c.path(), c.headers()));
      Answer mvc = send(signedGet(c.path(), c.headers()));
      assertThat(fast.statusLine()).as(c.toString()).contains(" " + c.status() + " ");
      assertThat(fast.comparable()).as(c.toString()).isEqualTo(mvc.comparable());
      assertThat(fast.comparableBody()).as(c.toString()).isEqualTo(mvc.comparableBody());
      if (c.status() == 200 || c.status() == 206) {
        fastAnswers++;
      }
    }
    assertSameBytes(send(request("/images/fast/large.bin", Map.of())).body(), large);
    assertThat(fastPathCount() - servedBefore).isEqualTo(fastAnswers + 1);
  }

  /**
   * A client with a tiny receive window makes every sendfile stop short, so the rest of the body
   * goes out as Jetty's write interest fires; two requests on one connection check that the second
   * response starts clean after the first.
   */
  @Test
  void aSlowReaderGetsEveryByteAndTheConnectionStaysUsable() throws Exception {
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request("/images/fast/large.bin", Map.of()).getBytes(StandardCharsets.ISO_8859_1));
      out.write(
          request("/images/fast/photo.png", Map.of("Range", "bytes=10-19"))
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      Answer first = Answer.read(in);
      Answer second = Answer.read(in);
      assertSameBytes(first.body(), large);
      assertThat(second.statusLine()).contains(" 206 ");
      assertThat(second.body()).isEqualTo(Arrays.copyOfRange(photo, 10, 20));
    }
  }

  /**
   * The head and the file leave corked, as nginx's tcp_nopush sends them: every segment full but
   * the last, so a response of H + B bytes takes ceil((H + B) / MSS) segments, where an uncorked
   * one sent the head alone and, whenever the reader's window opened by less than a segment, a runt
   * (and the reader acknowledged each of them). Counted by ss on the server's socket around a GET
   * on a connection whose MSS (at most half the largest window the reader offered, so it grows over
   * the first GETs) stayed the same throughout; retransmissions (a loaded machine's spurious ones)
   * do not count.
   */
  @Test
  void theHeadAndTheFileLeaveInFullSegments() throws Exception {
    try (Socket socket = new Socket()) {
      // a window that takes the whole answer: what the kernel still holds when the cork is
      // cleared goes out uncorked, in whatever pieces a narrower window would let through
      socket.setReceiveBufferSize(4 * 1024 * 1024);
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.setSoTimeout(30_000);
      byte[] get = request("/images/fast/photo.png", Map.of()).getBytes(UTF_8);
      // the MSS grows with the reader's window over the first GETs: measure a GET it stayed for
      for (int attempt = 0; attempt < 20; attempt++) {
        ServerSocketInfo before = ServerSocketInfo.of(port, socket.getLocalPort());
        socket.getOutputStream().write(get);
        Answer answer = Answer.read(socket.getInputStream());
        ServerSocketInfo after = ServerSocketInfo.of(port, socket.getLocalPort());
        assertSameBytes(answer.body(), photo);
        if (after.mss() == before.mss()) {
          long bytes = answer.headLength() + photo.length;
          assertThat(after.segmentsSent() - before.segmentsSent())
              .as("segments for %d bytes at MSS %d", bytes, after.mss())
              .isEqualTo((bytes + after.mss() - 1) / after.mss());
          return;
        }
      }
      throw new AssertionError("the MSS changed during each of 20 GETs");
    }
  }

  /** What ss tells of the server's end of one connection. */
  private record ServerSocketInfo(long mss, long segmentsSent) {

    static ServerSocketInfo of(int serverPort, int clientPort) {
      String info =
          ExternalCommand.run(
                  Duration.ofSeconds(20),
                  "ss",
                  "-tinH",
                  "state",
                  "established",
                  "( sport = :" + serverPort + " and dport = :" + clientPort + " )")
              .assertSuccess()
              .output();
      long mss = counter(info, "\\bmss:(\\d+)");
      assertThat(mss).as("the MSS in ss's answer: %s", info).isPositive();
      // ss leaves out the counters that are still 0
      return new ServerSocketInfo(
          mss, counter(info, "\\bdata_segs_out:(\\d+)") - counter(info, "\\bretrans:\\d+/(\\d+)"));
    }

    private static long counter(String info, String pattern) {
      Matcher matcher = Pattern.compile(pattern).matcher(info);
      return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
  }

  /**
   * Clients that reset the connection in the middle of a download, on the fast path (unsigned) and
   * on the Spring MVC path (signed): routine for a store behind CDN edges, so nothing is logged
   * above DEBUG, and the store goes on serving. 1 MiB as the issue says, and 6 MiB: on loopback the
   * kernel may take a whole 1 MiB body into the socket's buffer before the reset arrives, so only
   * the larger one is sure to fail a write in the server.
   */
  @Test
  void aClientLeavingMidDownloadIsNoError(CapturedOutput output) throws Exception {
    byte[] oneMib = random(1024 * 1024, 10);
    String upload =
        sdk.s3().createMultipartUpload(b -> b.bucket(BUCKET).key("fast/one-mib")).uploadId();
    String etag =
        sdk.s3()
            .uploadPart(
                b -> b.bucket(BUCKET).key("fast/one-mib").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(oneMib))
            .eTag();
    sdk.s3()
        .completeMultipartUpload(
            b ->
                b.bucket(BUCKET)
                    .key("fast/one-mib")
                    .uploadId(upload)
                    .multipartUpload(
                        m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
    Map<String, byte[]> objects =
        Map.of("/images/fast/one-mib", oneMib, "/images/fast/large.bin", large);
    for (Map.Entry<String, byte[]> object : objects.entrySet()) {
      for (String request :
          List.of(request(object.getKey(), Map.of()), signedGet(object.getKey(), Map.of()))) {
        for (int i = 0; i < 3; i++) {
          try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getInputStream().readNBytes(10_000);
            socket.setSoLinger(true, 0); // reset, as a client killed mid-download
          }
        }
        assertSameBytes(send(request).body(), object.getValue());
      }
    }
    assertThat(output.getOut() + output.getErr()).doesNotContain("ERROR");
  }

  /**
   * The fast path runs on the connector's selector threads and hands everything else to the pool:
   * were a signed PUT handled where its request arrived, its blocking read of a body that trickles
   * in would hold the selector, and the public GET on another connection would never be answered.
   * Eight uploads, one past every selector Jetty makes, all stopped halfway.
   */
  @Test
  void uploadsWaitingForTheirBodiesHoldUpNoPublicGet() throws Exception {
    byte[] body = random(64 * 1024, 9);
    List<Socket> uploads = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        URI target = URI.create("http://127.0.0.1:" + port + "/" + BUCKET + "/fast/trickle-" + i);
        SignedHttp.Signed signed = SignedHttp.sign("PUT", target, body, Map.of());
        StringBuilder head = new StringBuilder("PUT " + target.getPath() + " HTTP/1.1\r\n");
        signed
            .headers()
            .forEach((name, values) -> head.append(name + ": " + values.get(0) + "\r\n"));
        Socket upload = new Socket("127.0.0.1", port);
        uploads.add(upload);
        upload.setSoTimeout(30_000);
        OutputStream out = upload.getOutputStream();
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, 0, body.length / 2);
        out.flush();
      }

      Answer get = send(request("/images/fast/photo.png", Map.of()));
      assertThat(get.statusLine()).contains(" 200 ");
      assertSameBytes(get.body(), photo);

      for (Socket upload : uploads) {
        upload.getOutputStream().write(body, body.length / 2, body.length - body.length / 2);
        upload.getOutputStream().flush();
        assertThat(Answer.read(upload.getInputStream()).statusLine()).contains(" 200 ");
      }
    } finally {
      for (Socket upload : uploads) {
        upload.close();
      }
    }
    assertSameBytes(send(request("/images/fast/trickle-7", Map.of())).body(), body);
  }

  /** Without printing megabytes of bytes when they differ. */
  private static void assertSameBytes(byte[] actual, byte[] expected) {
    assertThat(actual).hasSize(expected.length);
    assertThat(Arrays.mismatch(actual, expected)).as("first differing byte").isEqualTo(-1);
  }

  private double fastPathCount() {
    MetricsScrape metrics = MetricsScrape.of(adminPort);
    return metrics.samples("objectstore_fastpath_responses_total").stream()
        .mapToDouble(MetricsScrape.Sample::value)
        .sum();
  }

  private record Case(String path, Map<String, String> headers, int status) {}

  private String signedGet(String path, Map<String, String> headers) {
    URI uri = URI.create("http://127.0.0.1:" + port + path);
    SignedHttp.Signed signed = SignedHttp.sign("GET", uri, new byte[0], headers);
    Map<String, String> all = new LinkedHashMap<>();
    signed.headers().forEach((name, values) -> all.put(name, values.get(0)));
    all.remove("Host");
    all.remove("host");
    return request(path, all);
  }

  private String request(String path, Map<String, String> headers) {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
    request.append("Host: 127.0.0.1:").append(port).append("\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    return request.append("\r\n").toString();
  }

  private Answer send(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      return Answer.read(socket.getInputStream());
    }
  }

  /** One HTTP/1.1 response as read off the wire: headers keep their exact spelling and values. */
  private record Answer(
      String statusLine, Map<String, List<String>> headers, byte[] body, int headLength) {

    /** What both paths must agree on: every header but the two that differ per response. */
    Map<String, List<String>> comparable() {
      Map<String, List<String>> same = new TreeMap<>(headers);
      same.remove("date");
      same.remove("x-amz-request-id");
      same.put(":status", List.of(statusLine));
      return same;
    }

    /** The body, with the request id an S3 error document quotes blanked out. */
    String comparableBody() {
      String text = new String(body, StandardCharsets.ISO_8859_1);
      List<String> id = headers.get("x-amz-request-id");
      return id == null ? text : text.replace(id.get(0).split(":")[1], "(request id)");
    }

    static Answer read(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed in the response head");
        }
        head.write(b);
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      Map<String, List<String>> headers = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers
            .computeIfAbsent(lines[i].substring(0, colon).toLowerCase(), k -> new ArrayList<>())
            // the header name's spelling counts too: it is kept with the value
            .add(lines[i].substring(0, colon) + ":" + lines[i].substring(colon + 1).trim());
      }
      int length =
          Integer.parseInt(
              headers.getOrDefault("content-length", List.of("x:0")).get(0).split(":")[1]);
      byte[] body = in.readNBytes(lines[0].contains(" 304 ") ? 0 : length);
      return new Answer(lines[0], headers, body, head.size());
    }
  }
}
