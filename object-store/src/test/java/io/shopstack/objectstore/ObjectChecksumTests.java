package io.shopstack.objectstore;

import static io.shopstack.objectstore.StoreSdk.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/**
 * Flexible checksums kept with an object and given back as S3 gives them: uploaded with the AWS SDK
 * v2's {@code checksumAlgorithm} (an aws-chunked trailer) or as a precomputed header, returned by
 * GetObject and HeadObject in the same header with {@code x-amz-checksum-mode: ENABLED}, absent
 * without it and on a range. Before, no GET ever carried one.
 */
@ObjectStoreTest
class ObjectChecksumTests {

  @RegisterExtension static final StoreSdk sdk = new StoreSdk();

  @LocalServerPort int port;

  @Test
  void aChecksumSentInATrailerComesBackWhenAskedFor() throws Exception {
    sdk.s3().createBucket(b -> b.bucket("sums"));
    byte[] content = random(200_000, 21);
    Map<ChecksumAlgorithm, String> expected =
        Map.of(
            ChecksumAlgorithm.CRC32, crc(new CRC32(), content),
            ChecksumAlgorithm.CRC32_C, crc(new CRC32C(), content),
            ChecksumAlgorithm.SHA1, digest("SHA-1", content),
            ChecksumAlgorithm.SHA256, digest("SHA-256", content));
    for (var algorithm : expected.keySet()) {
      String key = "by-trailer/" + algorithm;
      sdk.s3()
          .putObject(
              b -> b.bucket("sums").key(key).checksumAlgorithm(algorithm),
              RequestBody.fromBytes(content));
      var got =
          sdk.s3()
              .getObjectAsBytes(b -> b.bucket("sums").key(key).checksumMode(ChecksumMode.ENABLED));
      assertThat(got.asByteArray()).isEqualTo(content);
      var head =
          sdk.s3().headObject(b -> b.bucket("sums").key(key).checksumMode(ChecksumMode.ENABLED));
      String want = expected.get(algorithm);
      switch (algorithm) {
        case CRC32 -> {
          assertThat(got.response().checksumCRC32()).isEqualTo(want);
          assertThat(head.checksumCRC32()).isEqualTo(want);
        }
        case CRC32_C -> {
          assertThat(got.response().checksumCRC32C()).isEqualTo(want);
          assertThat(head.checksumCRC32C()).isEqualTo(want);
        }
        case SHA1 -> {
          assertThat(got.response().checksumSHA1()).isEqualTo(want);
          assertThat(head.checksumSHA1()).isEqualTo(want);
        }
        default -> {
          assertThat(got.response().checksumSHA256()).isEqualTo(want);
          assertThat(head.checksumSHA256()).isEqualTo(want);
        }
      }
    }
  }

  @Test
  void aChecksumHeaderIsKeptAndOnlyAWholeAskedForAnswerCarriesIt() throws Exception {
    sdk.s3().createBucket(b -> b.bucket("sums-header"));
    byte[] content = random(50_000, 22);
    String sha256 = digest("SHA-256", content);
    URI uri = URI.create("http://127.0.0.1:" + port + "/sums-header/photo.png");
    var put =
        SignedHttp.send(
            SignedHttp.sign("PUT", uri, content, Map.of("x-amz-checksum-sha256", sha256)).toJdk());
    assertThat(put.statusCode()).isEqualTo(200);

    assertThat(get(uri, Map.of("x-amz-checksum-mode", "ENABLED")).headers().map())
        .containsEntry("x-amz-checksum-sha256", java.util.List.of(sha256));
    assertThat(get(uri, Map.of()).headers().map())
        .as("without the mode header no checksum, as S3")
        .doesNotContainKey("x-amz-checksum-sha256");
    HttpResponse<String> ranged =
        get(uri, Map.of("x-amz-checksum-mode", "ENABLED", "Range", "bytes=0-99"));
    assertThat(ranged.statusCode()).isEqualTo(206);
    assertThat(ranged.headers().map())
        .as("a checksum of the whole object on a range would fail every client that checks it")
        .doesNotContainKey("x-amz-checksum-sha256");
  }

  /**
   * A PutObject whose {@code x-amz-sdk-checksum-algorithm} names another algorithm than the
   * checksum it carries: S3 answers 400 InvalidRequest "Value for x-amz-sdk-checksum-algorithm
   * header is invalid." (openstack/swift's {@code test_different_checksum_requested}, run against
   * AWS) and stores nothing; one whose header and checksum agree is taken. Before, the store never
   * read the header. Raw signed HTTP: the AWS SDK sets the header itself.
   */
  @Test
  void aPutWhoseSdkAlgorithmHeaderNamesAnotherChecksumIsRefusedAsS3RefusesIt() throws Exception {
    sdk.s3().createBucket(b -> b.bucket("sums-sdk"));
    byte[] content = random(1000, 31);
    String crc32 = crc(new CRC32(), content);
    URI uri = URI.create("http://127.0.0.1:" + port + "/sums-sdk/k");

    HttpResponse<String> refused =
        SignedHttp.send(
            SignedHttp.sign(
                    "PUT",
                    uri,
                    content,
                    Map.of("x-amz-sdk-checksum-algorithm", "SHA1", "x-amz-checksum-crc32", crc32))
                .toJdk());

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(ErrorElements.of(refused))
        .containsEntry("Code", "InvalidRequest")
        .containsEntry("Message", "Value for x-amz-sdk-checksum-algorithm header is invalid.");
    assertThat(get(uri, Map.of()).statusCode()).as("nothing stored").isEqualTo(404);
    HttpResponse<String> taken =
        SignedHttp.send(
            SignedHttp.sign(
                    "PUT",
                    uri,
                    content,
                    Map.of("x-amz-sdk-checksum-algorithm", "CRC32", "x-amz-checksum-crc32", crc32))
                .toJdk());
    assertThat(taken.statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
    return SignedHttp.send(SignedHttp.sign("GET", uri, new byte[0], headers).toJdk());
  }

  private static String crc(Checksum crc, byte[] content) {
    crc.update(content, 0, content.length);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static String digest(String algorithm, byte[] content) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance(algorithm).digest(content));
  }
}
