package io.shopstack.objectstore;

import static io.shopstack.objectstore.StoreSdk.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The GET data path (object.BlobWriter, pooled 512 KiB slices written straight to Jetty) against
 * what was uploaded, byte for byte: empty and one-byte objects, an object of several slices, and
 * ranges that start, end and cross at slice boundaries. Also the Content-Type comes back exactly as
 * it was sent, spaces included (the servlet API would re-spell it).
 */
@ObjectStoreTest
class ObjectDownloadTests {

  @RegisterExtension static final StoreSdk sdk = new StoreSdk();

  private static final int SLICE = 512 * 1024;
  private static final int FIVE_MIB = 5 * 1024 * 1024;

  @LocalServerPort int port;

  @Test
  void everyByteAndEveryRangeComesBackAsUploaded() throws Exception {
    sdk.s3().createBucket(b -> b.bucket("download"));
    sdk.s3().putObject(b -> b.bucket("download").key("empty"), RequestBody.fromBytes(new byte[0]));
    sdk.s3()
        .putObject(b -> b.bucket("download").key("one"), RequestBody.fromBytes(new byte[] {42}));
    byte[] large = random(FIVE_MIB + 3 * SLICE + 7, 1);
    uploadInTwoParts("large", large);

    assertThat(get("empty", null).body()).isEmpty();
    assertThat(get("one", null).body()).containsExactly(42);
    HttpResponse<byte[]> whole = get("large", null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(large.length);
    assertThat(whole.body()).isEqualTo(large);

    for (long[] range :
        List.of(
            new long[] {0, SLICE - 1},
            new long[] {0, SLICE},
            new long[] {SLICE - 1, SLICE},
            new long[] {SLICE, 2L * SLICE - 1},
            new long[] {3, FIVE_MIB + 11},
            new long[] {large.length - 1, large.length - 1})) {
      HttpResponse<byte[]> part = get("large", "bytes=" + range[0] + "-" + range[1]);
      assertThat(part.statusCode()).as(Arrays.toString(range)).isEqualTo(206);
      assertThat(part.body())
          .as(Arrays.toString(range))
          .isEqualTo(Arrays.copyOfRange(large, (int) range[0], (int) range[1] + 1));
    }
  }

  @Test
  void contentTypeIsReturnedExactlyAsStored() throws Exception {
    sdk.s3().createBucket(b -> b.bucket("download-types"));
    sdk.s3()
        .putObject(
            b ->
                b.bucket("download-types").key("page.html").contentType("text/html; charset=utf-8"),
            RequestBody.fromString("<p>68</p>"));
    HttpResponse<byte[]> got = get("download-types", "page.html", null);
    assertThat(got.headers().allValues("Content-Type")).containsExactly("text/html; charset=utf-8");
    assertThat(sdk.s3().headObject(b -> b.bucket("download-types").key("page.html")).contentType())
        .isEqualTo("text/html; charset=utf-8");
  }

  /**
   * GetObject's response-* parameters, as the AWS SDK sends them: the answer carries the requested
   * headers instead of the stored ones (HEAD too); an anonymous request with one is refused as S3
   * refuses it, and the stored headers stay what they were.
   */
  @Test
  void responseParametersOverrideTheStoredHeadersOfSignedRequests() throws Exception {
    sdk.s3().createBucket(b -> b.bucket("download-overrides"));
    sdk.s3()
        .putObject(
            b ->
                b.bucket("download-overrides")
                    .key("course.pdf")
                    .contentType("application/pdf")
                    .cacheControl("public, max-age=86400"),
            RequestBody.fromString("68"));
    var got =
        sdk.s3()
            .getObject(
                b ->
                    b.bucket("download-overrides")
                        .key("course.pdf")
                        .responseContentType("text/plain; charset=utf-8")
                        .responseCacheControl("no-store")
                        .responseContentDisposition("attachment; filename=\"course 68.pdf\"")
                        .responseContentLanguage("zh-CN")
                        .responseContentEncoding("identity")
                        .responseExpires(java.time.Instant.parse("2030-01-01T00:00:00Z")))
            .response();
    assertThat(got.contentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(got.cacheControl()).isEqualTo("no-store");
    assertThat(got.contentDisposition()).isEqualTo("attachment; filename=\"course 68.pdf\"");
    assertThat(got.contentLanguage()).isEqualTo("zh-CN");
    assertThat(got.contentEncoding()).isEqualTo("identity");
    assertThat(got.expires()).isEqualTo(java.time.Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(
            sdk.s3()
                .headObject(
                    b ->
                        b.bucket("download-overrides")
                            .key("course.pdf")
                            .responseContentType("image/png"))
                .contentType())
        .isEqualTo("image/png");
    var stored = sdk.s3().headObject(b -> b.bucket("download-overrides").key("course.pdf"));
    assertThat(stored.contentType()).isEqualTo("application/pdf");
    assertThat(stored.cacheControl()).isEqualTo("public, max-age=86400");

    HttpResponse<String> anonymous =
        SignedHttp.send(
            HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + port
                        + "/images/course-1001.png?response-content-type=text%2Fhtml")));
    assertThat(anonymous.statusCode()).isEqualTo(400);
    assertThat(anonymous.body()).contains("<Code>InvalidRequest</Code>");
  }

  private HttpResponse<byte[]> get(String key, String range) throws Exception {
    return get("download", key, range);
  }

  private HttpResponse<byte[]> get(String bucket, String key, String range) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/" + bucket + "/" + key);
    Map<String, String> headers = range == null ? Map.of() : Map.of("Range", range);
    HttpRequest.Builder request = SignedHttp.sign("GET", uri, new byte[0], headers).toJdk();
    return SignedHttp.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private void uploadInTwoParts(String key, byte[] content) {
    String id = sdk.s3().createMultipartUpload(b -> b.bucket("download").key(key)).uploadId();
    String etag1 =
        sdk.s3()
            .uploadPart(
                b -> b.bucket("download").key(key).uploadId(id).partNumber(1),
                RequestBody.fromBytes(Arrays.copyOf(content, FIVE_MIB)))
            .eTag();
    String etag2 =
        sdk.s3()
            .uploadPart(
                b -> b.bucket("download").key(key).uploadId(id).partNumber(2),
                RequestBody.fromBytes(Arrays.copyOfRange(content, FIVE_MIB, content.length)))
            .eTag();
    sdk.s3()
        .completeMultipartUpload(
            b ->
                b.bucket("download")
                    .key(key)
                    .uploadId(id)
                    .multipartUpload(
                        m ->
                            m.parts(
                                CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                                CompletedPart.builder().partNumber(2).eTag(etag2).build())));
  }
}
