package io.shopstack.objectstore;

import static io.shopstack.objectstore.StoreSdk.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * CopyObject, UploadPartCopy and DeleteObjects through the AWS SDK v2 with its default settings
 * (flexible checksums on DeleteObjects), byte for byte; and S3's refusals: a copy onto itself that
 * changes nothing, failed copy conditions (412), a bad copy range, a bulk delete without an
 * integrity header.
 */
@ObjectStoreTest
class CopyAndDeleteObjectsTests {

  @RegisterExtension static final StoreSdk sdk = new StoreSdk();

  private static final int FIVE_MIB = 5 * 1024 * 1024;

  @LocalServerPort int port;

  @Test
  void copyKeepsOrReplacesMetadataAndCopiesTheBytes() {
    sdk.s3().createBucket(b -> b.bucket("copy-src"));
    sdk.s3().createBucket(b -> b.bucket("copy-dst"));
    byte[] content = random(100_000, 1);
    String etag =
        sdk.s3()
            .putObject(
                b ->
                    b.bucket("copy-src")
                        .key("covers/趣谈 1001.png")
                        .contentType("image/png")
                        .cacheControl("public, max-age=3600")
                        .metadata(Map.of("author", "liu-chao")),
                RequestBody.fromBytes(content))
            .eTag();

    CopyObjectResponse copied =
        sdk.s3()
            .copyObject(
                b ->
                    b.sourceBucket("copy-src")
                        .sourceKey("covers/趣谈 1001.png")
                        .destinationBucket("copy-dst")
                        .destinationKey("backup/1001.png"));
    assertThat(copied.copyObjectResult().eTag()).isEqualTo(etag);
    var back = sdk.s3().getObjectAsBytes(b -> b.bucket("copy-dst").key("backup/1001.png"));
    assertThat(back.asByteArray()).isEqualTo(content);
    assertThat(back.response().contentType()).isEqualTo("image/png");
    assertThat(back.response().cacheControl()).isEqualTo("public, max-age=3600");
    assertThat(back.response().metadata()).containsEntry("author", "liu-chao");

    sdk.s3()
        .copyObject(
            b ->
                b.sourceBucket("copy-src")
                    .sourceKey("covers/趣谈 1001.png")
                    .destinationBucket("copy-dst")
                    .destinationKey("replaced.png")
                    .metadataDirective(MetadataDirective.REPLACE)
                    .contentType("image/x-png")
                    .metadata(Map.of("reviewed", "yes")));
    HeadObjectResponse replaced =
        sdk.s3().headObject(b -> b.bucket("copy-dst").key("replaced.png"));
    assertThat(replaced.contentType()).isEqualTo("image/x-png");
    assertThat(replaced.cacheControl()).isNull();
    assertThat(replaced.metadata()).containsExactly(Map.entry("reviewed", "yes"));
    assertThat(replaced.eTag()).isEqualTo(etag);
  }

  @Test
  void copyOntoItselfNeedsReplaceAndThenChangesOnlyTheMetadata() {
    sdk.s3().createBucket(b -> b.bucket("copy-self"));
    byte[] content = random(5000, 2);
    sdk.s3()
        .putObject(
            b -> b.bucket("copy-self").key("k").contentType("text/plain"),
            RequestBody.fromBytes(content));

    assertThatThrownBy(
            () ->
                sdk.s3()
                    .copyObject(
                        b ->
                            b.sourceBucket("copy-self")
                                .sourceKey("k")
                                .destinationBucket("copy-self")
                                .destinationKey("k")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
            });

    sdk.s3()
        .copyObject(
            b ->
                b.sourceBucket("copy-self")
                    .sourceKey("k")
                    .destinationBucket("copy-self")
                    .destinationKey("k")
                    .metadataDirective(MetadataDirective.REPLACE)
                    .contentType("application/json")
                    .cacheControl("no-cache"));
    var back = sdk.s3().getObjectAsBytes(b -> b.bucket("copy-self").key("k"));
    assertThat(back.asByteArray()).isEqualTo(content);
    assertThat(back.response().contentType()).isEqualTo("application/json");
    assertThat(back.response().cacheControl()).isEqualTo("no-cache");
  }

  @Test
  void aCopyWithNewMetadataKeepsTheChecksumOfTheSourcesBytes() {
    sdk.s3().createBucket(b -> b.bucket("copy-sums"));
    // The SDK sends a CRC32 with every upload by default; the store keeps it once verified.
    sdk.s3().putObject(b -> b.bucket("copy-sums").key("k"), RequestBody.fromBytes(random(7000, 5)));
    String source =
        sdk.s3()
            .headObject(b -> b.bucket("copy-sums").key("k").checksumMode(ChecksumMode.ENABLED))
            .checksumCRC32();
    assertThat(source).isNotNull();

    sdk.s3()
        .copyObject(
            b ->
                b.sourceBucket("copy-sums")
                    .sourceKey("k")
                    .destinationBucket("copy-sums")
                    .destinationKey("renamed")
                    .metadataDirective(MetadataDirective.REPLACE)
                    .contentType("text/plain"));

    HeadObjectResponse copy =
        sdk.s3()
            .headObject(
                b -> b.bucket("copy-sums").key("renamed").checksumMode(ChecksumMode.ENABLED));
    assertThat(copy.contentType()).isEqualTo("text/plain");
    assertThat(copy.checksumCRC32()).isEqualTo(source);
  }

  @Test
  void copyConditionsAreCheckedAgainstTheSource() {
    sdk.s3().createBucket(b -> b.bucket("copy-conditions"));
    String etag =
        sdk.s3()
            .putObject(b -> b.bucket("copy-conditions").key("src"), RequestBody.fromString("v1"))
            .eTag();

    assertThat(copyStatus(b -> b.copySourceIfMatch("\"00000000000000000000000000000000\"")))
        .isEqualTo(412);
    assertThat(copyStatus(b -> b.copySourceIfNoneMatch(etag))).isEqualTo(412);
    assertThat(copyStatus(b -> b.copySourceIfModifiedSince(Instant.now().plusSeconds(3600))))
        .isEqualTo(412);
    assertThat(
            copyStatus(b -> b.copySourceIfUnmodifiedSince(Instant.parse("2001-01-01T00:00:00Z"))))
        .isEqualTo(412);
    assertThatThrownBy(() -> sdk.s3().headObject(b -> b.bucket("copy-conditions").key("dst")))
        .isInstanceOf(NoSuchKeyException.class);

    // S3: a matching If-Match wins over a failing If-Unmodified-Since
    assertThat(
            copyStatus(
                b ->
                    b.copySourceIfMatch(etag)
                        .copySourceIfUnmodifiedSince(Instant.parse("2001-01-01T00:00:00Z"))))
        .isEqualTo(200);
    assertThat(
            sdk.s3().getObjectAsBytes(b -> b.bucket("copy-conditions").key("dst")).asUtf8String())
        .isEqualTo("v1");
    assertThatThrownBy(
            () ->
                sdk.s3()
                    .copyObject(
                        b ->
                            b.sourceBucket("copy-conditions")
                                .sourceKey("missing")
                                .destinationBucket("copy-conditions")
                                .destinationKey("dst")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void uploadPartCopyAssemblesAnObjectFromRanges() throws Exception {
    sdk.s3().createBucket(b -> b.bucket("part-copy"));
    byte[] content = random(FIVE_MIB + 123_457, 3);
    uploadMultipart("part-copy", "source.bin", content);

    String id =
        sdk.s3().createMultipartUpload(b -> b.bucket("part-copy").key("copy.bin")).uploadId();
    var first =
        sdk.s3()
            .uploadPartCopy(
                b ->
                    b.sourceBucket("part-copy")
                        .sourceKey("source.bin")
                        .destinationBucket("part-copy")
                        .destinationKey("copy.bin")
                        .uploadId(id)
                        .partNumber(1)
                        .copySourceRange("bytes=0-" + (FIVE_MIB - 1)));
    var second =
        sdk.s3()
            .uploadPartCopy(
                b ->
                    b.sourceBucket("part-copy")
                        .sourceKey("source.bin")
                        .destinationBucket("part-copy")
                        .destinationKey("copy.bin")
                        .uploadId(id)
                        .partNumber(2)
                        .copySourceRange("bytes=" + FIVE_MIB + "-" + (content.length - 1)));
    assertThat(first.copyPartResult().eTag())
        .isEqualTo('"' + HexFormat.of().formatHex(md5(content, 0, FIVE_MIB)) + '"');
    sdk.s3()
        .completeMultipartUpload(
            b ->
                b.bucket("part-copy")
                    .key("copy.bin")
                    .uploadId(id)
                    .multipartUpload(
                        m ->
                            m.parts(
                                part(1, first.copyPartResult().eTag()),
                                part(2, second.copyPartResult().eTag()))));
    assertThat(sdk.s3().getObjectAsBytes(b -> b.bucket("part-copy").key("copy.bin")).asByteArray())
        .isEqualTo(content);

    assertThatThrownBy(
            () ->
                sdk.s3()
                    .uploadPartCopy(
                        b ->
                            b.sourceBucket("part-copy")
                                .sourceKey("source.bin")
                                .destinationBucket("part-copy")
                                .destinationKey("copy.bin")
                                .uploadId(
                                    sdk.s3()
                                        .createMultipartUpload(
                                            c -> c.bucket("part-copy").key("copy.bin"))
                                        .uploadId())
                                .partNumber(1)
                                .copySourceRange("bytes=0-" + content.length)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
  }

  @Test
  void deleteObjectsDeletesEachKeyAndReportsEachOutcome() {
    sdk.s3().createBucket(b -> b.bucket("bulk-delete"));
    for (String key : List.of("a", "dir/b", "dir/c", "kept")) {
      sdk.s3().putObject(b -> b.bucket("bulk-delete").key(key), RequestBody.fromString(key));
    }

    DeleteObjectsResponse answer =
        sdk.s3()
            .deleteObjects(
                b ->
                    b.bucket("bulk-delete")
                        .delete(
                            d ->
                                d.objects(
                                    id("a"),
                                    id("dir/b"),
                                    id("never-existed"),
                                    ObjectIdentifier.builder()
                                        .key("dir/c")
                                        .versionId("3HL4kqtJlcpXroDTDmJ")
                                        .build(),
                                    id("x".repeat(1025)))));
    assertThat(answer.deleted())
        .extracting(d -> d.key())
        .containsExactly("a", "dir/b", "never-existed");
    assertThat(answer.errors())
        .extracting(e -> e.key().substring(0, 1), e -> e.code())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("d", "NoSuchVersion"),
            org.assertj.core.groups.Tuple.tuple("x", "KeyTooLongError"));
    assertThat(sdk.s3().listObjectsV2(b -> b.bucket("bulk-delete")).contents())
        .extracting(S3Object::key)
        .containsExactly("dir/c", "kept");

    DeleteObjectsResponse quiet =
        sdk.s3()
            .deleteObjects(
                b -> b.bucket("bulk-delete").delete(d -> d.quiet(true).objects(id("dir/c"))));
    assertThat(quiet.deleted()).isEmpty();
    assertThat(quiet.errors()).isEmpty();
    assertThat(sdk.s3().listObjectsV2(b -> b.bucket("bulk-delete")).contents())
        .extracting(S3Object::key)
        .containsExactly("kept");
  }

  @Test
  void deleteObjectsWithoutAnIntegrityHeaderIsRefusedAsS3Does() throws Exception {
    sdk.s3().createBucket(b -> b.bucket("bulk-unchecked"));
    sdk.s3().putObject(b -> b.bucket("bulk-unchecked").key("k"), RequestBody.fromString("k"));
    byte[] body = "<Delete><Object><Key>k</Key></Object></Delete>".getBytes(StandardCharsets.UTF_8);
    URI uri = URI.create("http://127.0.0.1:" + port + "/bulk-unchecked?delete");

    HttpResponse<String> refused =
        SignedHttp.send(SignedHttp.sign("POST", uri, body, Map.of()).toJdk());
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .contains(
            "<Code>InvalidRequest</Code>", "Missing required header for this request: Content-MD5");

    HttpResponse<String> wrongMd5 =
        SignedHttp.send(
            SignedHttp.sign("POST", uri, body, Map.of("Content-MD5", md5Base64("other".getBytes())))
                .toJdk());
    assertThat(wrongMd5.statusCode()).isEqualTo(400);
    assertThat(wrongMd5.body()).contains("<Code>BadDigest</Code>");
    assertThat(sdk.s3().listObjectsV2(b -> b.bucket("bulk-unchecked")).contents()).hasSize(1);

    HttpResponse<String> accepted =
        SignedHttp.send(
            SignedHttp.sign("POST", uri, body, Map.of("Content-MD5", md5Base64(body))).toJdk());
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.body()).contains("<Deleted><Key>k</Key></Deleted>");
    assertThat(sdk.s3().listObjectsV2(b -> b.bucket("bulk-unchecked")).contents()).isEmpty();
  }

  private int copyStatus(
      java.util.function.Consumer<
              software.amazon.awssdk.services.s3.model.CopyObjectRequest.Builder>
          conditions) {
    try {
      sdk.s3()
          .copyObject(
              b -> {
                b.sourceBucket("copy-conditions")
                    .sourceKey("src")
                    .destinationBucket("copy-conditions")
                    .destinationKey("dst");
                conditions.accept(b);
              });
      return 200;
    } catch (S3Exception e) {
      return e.statusCode();
    }
  }

  private void uploadMultipart(String bucket, String key, byte[] content) {
    String id = sdk.s3().createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    String etag1 =
        sdk.s3()
            .uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(id).partNumber(1),
                RequestBody.fromBytes(java.util.Arrays.copyOf(content, FIVE_MIB)))
            .eTag();
    String etag2 =
        sdk.s3()
            .uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(id).partNumber(2),
                RequestBody.fromBytes(
                    java.util.Arrays.copyOfRange(content, FIVE_MIB, content.length)))
            .eTag();
    sdk.s3()
        .completeMultipartUpload(
            b ->
                b.bucket(bucket)
                    .key(key)
                    .uploadId(id)
                    .multipartUpload(m -> m.parts(part(1, etag1), part(2, etag2))));
  }

  private static CompletedPart part(int number, String etag) {
    return CompletedPart.builder().partNumber(number).eTag(etag).build();
  }

  private static ObjectIdentifier id(String key) {
    return ObjectIdentifier.builder().key(key).build();
  }

  private static byte[] md5(byte[] content, int offset, int length) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    md5.update(content, offset, length);
    return md5.digest();
  }

  private static String md5Base64(byte[] content) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
  }
}
