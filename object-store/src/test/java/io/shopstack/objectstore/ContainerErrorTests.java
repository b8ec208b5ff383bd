package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.Curl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * What the HTTP layer refuses before (or while) the application reads a request is answered as S3
 * answers it: an {@code <Error>} document with S3's code and status, the request id in header and
 * body, never the servlet container's HTML page. Sent on raw sockets (what no well-behaved client
 * can send) and with curl.
 */
@ObjectStoreTest
@ExtendWith(OutputCaptureExtension.class)
class ContainerErrorTests {

  private static final String BIG = "a".repeat(9000);

  @LocalServerPort int port;

  @Test
  void malformedRequestLineIsAnS3BadRequest() throws IOException {
    Answer answer = exchange("GARBAGE\r\n\r\n");

    answer.assertS3Error(400, "BadRequest");
    assertThat(answer.text).contains("Connection: close");
  }

  @Test
  void malformedHeaderLineIsAnS3BadRequestThatSaysWhatWasWrong() throws IOException {
    Answer answer =
        exchange("GET /images/course-1001.png HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n");

    answer.assertS3Error(400, "BadRequest");
    assertThat(answer.text).contains("<Message>An error occurred when parsing the HTTP request: ");
  }

  @Test
  void headerSectionOverTheLimitIsRequestHeaderSectionTooLarge() throws IOException {
    Answer answer =
        exchange("GET /images/course-1001.png HTTP/1.1\r\nHost: a\r\nX-Big: " + BIG + "\r\n\r\n");

    answer.assertS3Error(400, "RequestHeaderSectionTooLarge");
    assertThat(answer.text).contains("<MaxSizeAllowed>8192</MaxSizeAllowed>");
  }

  @Test
  void uriTooLongCountsAgainstTheHeaderSectionAsInS3() {
    Curl.Response response = Curl.run("http://127.0.0.1:" + port + "/images/" + BIG);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/xml");
    assertThat(response.body()).contains("<Code>RequestHeaderSectionTooLarge</Code>");
  }

  @Test
  void unknownExpectationIs417InS3Xml() {
    Curl.Response response =
        Curl.run("-H", "Expect: bogus", "http://127.0.0.1:" + port + "/images/course-1001.png");

    assertThat(response.status()).isEqualTo(417);
    assertThat(response.header("Content-Type")).startsWith("application/xml");
    assertThat(response.body()).contains("<Code>ExpectationFailed</Code>");
    assertThat(response.body())
        .contains("<RequestId>" + response.header("x-amz-request-id") + "</RequestId>");
  }

  @Test
  void unknownHttpVersionIs505InS3Xml() throws IOException {
    exchange("GET /images/course-1001.png HTTP/9.9\r\nHost: a\r\n\r\n")
        .assertS3Error(505, "HttpVersionNotSupported");
  }

  @Test
  void unparseablePercentEncodingIsABadRequest() throws IOException {
    exchange("GET /images/%zz HTTP/1.1\r\nHost: a\r\n\r\n").assertS3Error(400, "BadRequest");
  }

  @Test
  void badUtf8InTheUriIsInvalidUri() throws IOException {
    exchange("GET /images/a%c3%28b HTTP/1.1\r\nHost: a\r\n\r\n").assertS3Error(400, "InvalidURI");
  }

  @Test
  void brokenChunkedFramingIsABadRequestAndStoresNothing(CapturedOutput log) throws IOException {
    StringBuilder head = signedPutHead("container-errors", "broken");
    head.append("Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nnot a chunk\r\n0\r\n\r\n");

    exchange(head.toString()).assertS3Error(400, "BadRequest");
    assertThat(
            SignedHttp.sdkClient(port).listObjectsV2(b -> b.bucket("container-errors")).contents())
        .isEmpty();
    assertThat(log.getAll()).doesNotContain("InternalError").doesNotContain("ERROR");
  }

  @Test
  void bodyShorterThanItsContentLengthIsIncompleteBody(CapturedOutput log) throws IOException {
    StringBuilder head = signedPutHead("container-short", "short");
    head.append("Content-Length: 100\r\n\r\nonly ten b");

    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      socket.shutdownOutput(); // the client is done: 10 of the 100 bytes it announced
      new Answer(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .assertS3Error(400, "IncompleteBody");
    }
    assertThat(
            SignedHttp.sdkClient(port).listObjectsV2(b -> b.bucket("container-short")).contents())
        .isEmpty();
    assertThat(log.getAll()).doesNotContain("InternalError");
  }

  /** One request on its own connection, and everything the server sent until it closed. */
  private Answer exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new Answer(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private record Answer(String text) {

    void assertS3Error(int status, String code) {
      assertThat(text).startsWith("HTTP/1.1 " + status + " ");
      String head = text.substring(0, text.indexOf("\r\n\r\n"));
      assertThat(head).contains("Content-Type: application/xml");
      assertThat(text).contains("<Error><Code>" + code + "</Code>").doesNotContain("<html");
      String requestId = head.replaceAll("(?s).*x-amz-request-id: ([0-9A-F]+).*", "$1");
      assertThat(text).contains("<RequestId>" + requestId + "</RequestId>");
    }
  }

  /**
   * A new bucket and the head of a PUT into it, signed with an unsigned payload so the test can
   * write whatever body (and framing) it likes after it.
   */
  private StringBuilder signedPutHead(String bucket, String key) {
    SignedHttp.sdkClient(port).createBucket(b -> b.bucket(bucket));
    URI target = URI.create("http://127.0.0.1:" + port + "/" + bucket + "/" + key);
    SignedHttp.Signed signed =
        SignedHttp.sign(
            "PUT",
            target,
            new byte[0],
            Map.of(),
            SignedHttp.SECRET_KEY,
            r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    StringBuilder head = new StringBuilder("PUT /" + bucket + "/" + key + " HTTP/1.1\r\n");
    signed
        .headers()
        .forEach((name, values) -> values.forEach(v -> head.append(name + ": " + v + "\r\n")));
    return head;
  }
}
