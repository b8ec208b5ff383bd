package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Error documents carry what S3's carry: its fixed message, and the element naming the subject
 * ({@code Key}, {@code BucketName}, {@code UploadId}) decoded from the request.
 */
@ObjectStoreTest
class ErrorDocumentTests {

  @LocalServerPort int port;

  @Test
  void noSuchKeyNamesTheDecodedKey() throws Exception {
    SignedHttp.sdkClient(port).createBucket(b -> b.bucket("error-documents"));

    String body = get("/error-documents/%E6%B7%B1/no%20such%2Bkey").body();

    assertThat(body)
        .contains(
            "<Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
                + "<Key>深/no such+key</Key>");
  }

  @Test
  void noSuchBucketNamesTheBucket() throws Exception {
    assertThat(get("/no-such-bucket/x").body())
        .contains(
            "<Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>"
                + "<BucketName>no-such-bucket</BucketName>");
  }

  @Test
  void noSuchUploadNamesTheUploadId() throws Exception {
    SignedHttp.sdkClient(port).createBucket(b -> b.bucket("error-uploads"));

    assertThat(get("/error-uploads/k?uploadId=bogus-id").body())
        .contains("<Code>NoSuchUpload</Code>")
        .contains("<UploadId>bogus-id</UploadId>");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return SignedHttp.send(
        SignedHttp.sign("GET", URI.create("http://127.0.0.1:" + port + path), new byte[0], Map.of())
            .toJdk());
  }
}
