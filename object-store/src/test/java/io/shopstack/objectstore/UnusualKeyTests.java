package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keys S3 takes that an HTTP server's URI rules refuse by default: a {@code %} (sent as {@code
 * %25}), an empty segment ({@code a//b}), a backslash. {@code aws s3api put-object --key '100%'}
 * was answered 400 by Jetty before the store saw it. Dot segments stay refused (ObjectKey).
 */
@ObjectStoreTest
class UnusualKeyTests {

  private static final List<String> KEYS =
      List.of("50% off.png", "a//b", "back\\slash", "dir//", "%2F literally");

  @LocalServerPort int port;

  @Test
  void keysWithPercentEmptySegmentsAndBackslashesRoundTrip() {
    try (S3Client s3 = SignedHttp.sdkClient(port)) {
      s3.createBucket(b -> b.bucket("unusual-keys"));
      for (String key : KEYS) {
        s3.putObject(b -> b.bucket("unusual-keys").key(key), RequestBody.fromString("is " + key));
      }
      for (String key : KEYS) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("unusual-keys").key(key)).asUtf8String())
            .as(key)
            .isEqualTo("is " + key);
      }
      assertThat(s3.listObjectsV2(b -> b.bucket("unusual-keys")).contents())
          .extracting(S3Object::key)
          .containsExactlyInAnyOrderElementsOf(KEYS);
      s3.deleteObject(b -> b.bucket("unusual-keys").key("a//b"));
      assertThat(s3.listObjectsV2(b -> b.bucket("unusual-keys")).contents())
          .extracting(S3Object::key)
          .doesNotContain("a//b")
          .contains("dir//");
    }
  }

  @Test
  void anEncodedSlashIsASlashOfTheKeyAsInS3() throws Exception {
    try (S3Client s3 = SignedHttp.sdkClient(port)) {
      s3.createBucket(b -> b.bucket("encoded-slash"));
      s3.putObject(b -> b.bucket("encoded-slash").key("x/y"), RequestBody.fromString("xy"));
    }
    HttpResponse<String> encoded = signedGet("/encoded-slash/x%2Fy");
    assertThat(encoded.statusCode()).isEqualTo(200);
    assertThat(encoded.body()).isEqualTo("xy");
  }

  @Test
  void dotSegmentsStayRefused() throws Exception {
    assertThat(signedGet("/images/a/%2e%2e/course-1001.png").body())
        .contains("<Code>InvalidURI</Code>");
    assertThat(signedGet("/images/a/./course-1001.png").statusCode()).isEqualTo(400);
  }

  private HttpResponse<String> signedGet(String path) throws Exception {
    return SignedHttp.send(
        SignedHttp.sign("GET", URI.create("http://127.0.0.1:" + port + path), new byte[0], Map.of())
            .toJdk());
  }
}
