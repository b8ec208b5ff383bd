package io.shopstack.objectstore;

import static io.shopstack.objectstore.SignedHttp.send;
import static io.shopstack.objectstore.SignedHttp.sign;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Nobody writes without the key: what the issue found accepted with 200 (unsigned PUTs, wrong
 * signatures, {@code Authorization: garbage}, a body that is not the one signed) is refused with
 * S3's codes, while the CDN edges keep reading the public images bucket unsigned.
 */
@ObjectStoreTest
class AuthenticationTests {

  @LocalServerPort int port;

  @BeforeEach
  void bucket() throws Exception {
    HttpResponse<String> created =
        send(sign("PUT", uri("/auth-tests"), new byte[0], Map.of()).toJdk());
    assertThat(created.statusCode()).isIn(200, 409);
  }

  @Test
  void unsignedWritesAreRefusedAndWriteNothing() throws Exception {
    HttpResponse<String> put =
        send(
            HttpRequest.newBuilder(uri("/images/unsigned.png"))
                .PUT(HttpRequest.BodyPublishers.ofString("defaced")));
    assertThat(put.statusCode()).isEqualTo(403);
    assertThat(put.body()).contains("<Code>AccessDenied</Code>", "<RequestId>");

    HttpResponse<String> garbage =
        send(
            HttpRequest.newBuilder(uri("/images/garbage.png"))
                .header("Authorization", "garbage")
                .PUT(HttpRequest.BodyPublishers.ofString("defaced")));
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).contains("<Code>InvalidArgument</Code>");

    HttpResponse<String> delete =
        send(HttpRequest.newBuilder(uri("/images/course-1001.png")).DELETE());
    assertThat(delete.statusCode()).isEqualTo(403);
    assertThat(send(HttpRequest.newBuilder(uri("/images/course-1001.png"))).statusCode())
        .isEqualTo(200);
    assertThat(send(HttpRequest.newBuilder(uri("/images/unsigned.png"))).statusCode())
        .isEqualTo(404);
  }

  @Test
  void wrongSecretUnknownKeyAndOldRequestsAreRefused() throws Exception {
    byte[] body = "x".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> wrongSecret =
        send(sign("PUT", uri("/auth-tests/k"), body, Map.of(), "not-the-secret", r -> {}).toJdk());
    assertThat(wrongSecret.statusCode()).isEqualTo(403);
    assertThat(wrongSecret.body()).contains("<Code>SignatureDoesNotMatch</Code>");

    SignedHttp.Signed signed = sign("PUT", uri("/auth-tests/k"), body, Map.of());
    String otherKey =
        signed
            .headers()
            .get("Authorization")
            .get(0)
            .replace("Credential=shop-stack/", "Credential=intruder/");
    HttpResponse<String> unknownKey = send(signed.toJdk().setHeader("Authorization", otherKey));
    assertThat(unknownKey.statusCode()).isEqualTo(403);
    assertThat(unknownKey.body()).contains("<Code>InvalidAccessKeyId</Code>");

    Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    HttpResponse<String> replayed =
        send(
            sign(
                    "PUT",
                    uri("/auth-tests/k"),
                    body,
                    Map.of(),
                    SignedHttp.SECRET_KEY,
                    r -> r.putProperty(AwsV4HttpSigner.SIGNING_CLOCK, anHourAgo))
                .toJdk());
    assertThat(replayed.statusCode()).isEqualTo(403);
    assertThat(replayed.body()).contains("<Code>RequestTimeTooSkewed</Code>");

    HttpResponse<String> signedGet =
        send(sign("GET", uri("/auth-tests/k"), new byte[0], Map.of()).toJdk());
    assertThat(signedGet.statusCode()).isEqualTo(404); // nothing above was stored
  }

  @Test
  void aBodyThatIsNotTheSignedOneIsRefusedAndTheOldVersionStays() throws Exception {
    assertThat(
            send(sign("PUT", uri("/auth-tests/price"), bytes("price: 68"), Map.of()).toJdk())
                .statusCode())
        .isEqualTo(200);

    SignedHttp.Signed signed = sign("PUT", uri("/auth-tests/price"), bytes("price: 99"), Map.of());
    HttpResponse<String> tampered =
        send(signed.toJdk().PUT(HttpRequest.BodyPublishers.ofByteArray(bytes("price: 01"))));
    assertThat(tampered.statusCode()).isEqualTo(400);
    assertThat(tampered.body()).contains("<Code>XAmzContentSHA256Mismatch</Code>");

    HttpResponse<String> got =
        send(sign("GET", uri("/auth-tests/price"), new byte[0], Map.of()).toJdk());
    assertThat(got.body()).isEqualTo("price: 68");
  }

  @Test
  void aTamperedAwsChunkedBodyFailsItsChunkSignature() throws Exception {
    byte[] content =
        "chunked and signed, chunk by chunk".repeat(100).getBytes(StandardCharsets.UTF_8);
    SignedHttp.Signed signed =
        sign(
            "PUT",
            uri("/auth-tests/chunked"),
            content,
            Map.of("x-amz-decoded-content-length", String.valueOf(content.length)),
            SignedHttp.SECRET_KEY,
            r -> r.putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true));
    assertThat(signed.headers().get("x-amz-content-sha256"))
        .containsExactly("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");

    byte[] tampered = signed.body().clone();
    int at = new String(tampered, StandardCharsets.ISO_8859_1).indexOf("chunk by chunk");
    tampered[at] = 'C';
    HttpResponse<String> refused =
        send(signed.toJdk().PUT(HttpRequest.BodyPublishers.ofByteArray(tampered)));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("<Code>SignatureDoesNotMatch</Code>");
    assertThat(
            send(sign("GET", uri("/auth-tests/chunked"), new byte[0], Map.of()).toJdk())
                .statusCode())
        .isEqualTo(404);

    assertThat(send(signed.toJdk()).statusCode()).isEqualTo(200);
    assertThat(send(sign("GET", uri("/auth-tests/chunked"), new byte[0], Map.of()).toJdk()).body())
        .isEqualTo(new String(content, StandardCharsets.UTF_8));
  }

  @Test
  void onlyObjectsOfThePublicReadBucketAreReadableUnsigned() throws Exception {
    send(sign("PUT", uri("/auth-tests/private.txt"), bytes("private"), Map.of()).toJdk());

    HttpResponse<String> image = send(HttpRequest.newBuilder(uri("/images/course-1001.png")));
    assertThat(image.statusCode()).isEqualTo(200);
    HttpResponse<String> head =
        send(
            HttpRequest.newBuilder(uri("/images/course-1001.png"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);

    assertThat(send(HttpRequest.newBuilder(uri("/auth-tests/private.txt"))).statusCode())
        .isEqualTo(403);
    assertThat(send(HttpRequest.newBuilder(uri("/images?list-type=2"))).statusCode())
        .isEqualTo(403);
    assertThat(send(HttpRequest.newBuilder(uri("/"))).statusCode()).isEqualTo(403);
  }

  @Test
  void presignedUrlsWorkUntilTheyExpire() throws Exception {
    URI putUrl;
    URI getUrl;
    try (S3Presigner presigner = presigner()) {
      putUrl =
          presigner
              .presignPutObject(
                  r ->
                      r.signatureDuration(Duration.ofMinutes(5))
                          .putObjectRequest(p -> p.bucket("auth-tests").key("presigned.txt")))
              .url()
              .toURI();
      getUrl =
          presigner
              .presignGetObject(
                  r ->
                      r.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(g -> g.bucket("auth-tests").key("presigned.txt")))
              .url()
              .toURI();
    }
    HttpResponse<String> put =
        send(HttpRequest.newBuilder(putUrl).PUT(HttpRequest.BodyPublishers.ofString("shared")));
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(send(HttpRequest.newBuilder(getUrl)).body()).isEqualTo("shared");

    Clock tenMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC);
    URI expired =
        SignedHttp.presign(
            "GET", uri("/auth-tests/presigned.txt"), Duration.ofMinutes(5), tenMinutesAgo);
    HttpResponse<String> refused = send(HttpRequest.newBuilder(expired));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("<Code>AccessDenied</Code>", "expired");

    URI forged = URI.create(getUrl.toString().replace("presigned.txt", "other.txt"));
    assertThat(send(HttpRequest.newBuilder(forged)).body())
        .contains("<Code>SignatureDoesNotMatch</Code>");
  }

  @Test
  void expect100ContinueIsAnsweredWithItsReasonPhrase() throws Exception {
    byte[] body = bytes("uploaded the way botocore uploads");
    SignedHttp.Signed signed =
        sign("PUT", uri("/auth-tests/expect.txt"), body, Map.of("Expect", "100-continue"));
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder head = new StringBuilder("PUT /auth-tests/expect.txt HTTP/1.1\r\n");
      signed
          .headers()
          .forEach(
              (name, values) ->
                  values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(readLine(in)).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(readLine(in)).isEmpty();
      out.write(body);
      out.flush();
      assertThat(readLine(in)).isEqualTo("HTTP/1.1 200 OK");
    }
  }

  private S3Presigner presigner() {
    return S3Presigner.builder()
        .endpointOverride(uri("/"))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(SignedHttp.ACCESS_KEY, SignedHttp.SECRET_KEY)))
        .build();
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n' && b != -1; b = in.read()) {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
