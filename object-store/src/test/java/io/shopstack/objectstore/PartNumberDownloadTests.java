package io.shopstack.objectstore;

import static io.shopstack.objectstore.StoreSdk.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * GetObject and HeadObject with {@code partNumber} through the AWS SDK v2, as its and the CRT's
 * parallel downloads and {@code aws s3api get-object --part-number} ask: the part's bytes with 206,
 * {@code Content-Range} and {@code x-amz-mp-parts-count}, the whole object's ETag; a single-part
 * object is its own part 1 (no parts count, as S3 documents); S3's refusals for a part past the
 * count and for partNumber with Range. Before, every such request was 501 NotImplemented.
 */
@ObjectStoreTest
class PartNumberDownloadTests {

  @RegisterExtension static final StoreSdk sdk = new StoreSdk();

  private static final int FIVE_MIB = 5 * 1024 * 1024;

  @Test
  void eachPartOfAMultipartObjectComesBackWithItsRange() {
    sdk.s3().createBucket(b -> b.bucket("parts"));
    byte[] first = random(FIVE_MIB, 11);
    byte[] second = random(FIVE_MIB + 3, 12);
    byte[] third = random(70_001, 13);
    String id = sdk.s3().createMultipartUpload(b -> b.bucket("parts").key("video.mp4")).uploadId();
    String etag =
        sdk.s3()
            .completeMultipartUpload(
                b ->
                    b.bucket("parts")
                        .key("video.mp4")
                        .uploadId(id)
                        .multipartUpload(
                            m ->
                                m.parts(
                                    part(id, 1, first), part(id, 2, second), part(id, 3, third))))
            .eTag();
    long size = first.length + second.length + third.length;

    var one = sdk.s3().getObjectAsBytes(b -> b.bucket("parts").key("video.mp4").partNumber(1));
    assertThat(one.asByteArray()).isEqualTo(first);
    assertThat(one.response().sdkHttpResponse().statusCode()).isEqualTo(206);
    assertThat(one.response().contentRange()).isEqualTo("bytes 0-" + (FIVE_MIB - 1) + "/" + size);
    assertThat(one.response().partsCount()).isEqualTo(3);
    assertThat(one.response().eTag()).isEqualTo(etag).endsWith("-3\"");

    var two = sdk.s3().getObjectAsBytes(b -> b.bucket("parts").key("video.mp4").partNumber(2));
    assertThat(two.asByteArray()).isEqualTo(second);
    assertThat(two.response().contentRange())
        .isEqualTo("bytes " + FIVE_MIB + "-" + (2L * FIVE_MIB + 2) + "/" + size);

    var three = sdk.s3().getObjectAsBytes(b -> b.bucket("parts").key("video.mp4").partNumber(3));
    assertThat(three.asByteArray()).isEqualTo(third);
    assertThat(three.response().contentLength()).isEqualTo(third.length);

    var head = sdk.s3().headObject(b -> b.bucket("parts").key("video.mp4").partNumber(2));
    assertThat(head.sdkHttpResponse().statusCode()).isEqualTo(206);
    assertThat(head.contentLength()).isEqualTo(second.length);
    assertThat(head.partsCount()).isEqualTo(3);
    assertThat(head.contentRange()).startsWith("bytes " + FIVE_MIB + "-");
    assertThat(head.eTag()).isEqualTo(etag);

    assertThat(sdk.s3().getObject(b -> b.bucket("parts").key("video.mp4")).response().partsCount())
        .as("without partNumber no parts count, as S3")
        .isNull();

    assertError(
        () -> sdk.s3().getObjectAsBytes(b -> b.bucket("parts").key("video.mp4").partNumber(4)),
        416,
        "InvalidPartNumber");
    assertError(
        () ->
            sdk.s3()
                .getObjectAsBytes(
                    b -> b.bucket("parts").key("video.mp4").partNumber(1).range("bytes=0-9")),
        400,
        "InvalidRequest");
    assertError(
        () -> sdk.s3().getObjectAsBytes(b -> b.bucket("parts").key("video.mp4").partNumber(0)),
        400,
        "InvalidArgument");
  }

  @Test
  void anObjectWrittenInOnePieceIsItsOwnFirstPart() {
    sdk.s3().createBucket(b -> b.bucket("parts-single"));
    byte[] content = random(100_000, 14);
    String etag =
        sdk.s3()
            .putObject(
                b -> b.bucket("parts-single").key("photo.png"), RequestBody.fromBytes(content))
            .eTag();

    var one =
        sdk.s3().getObjectAsBytes(b -> b.bucket("parts-single").key("photo.png").partNumber(1));
    assertThat(one.asByteArray()).isEqualTo(content);
    assertThat(one.response().sdkHttpResponse().statusCode()).isEqualTo(206);
    assertThat(one.response().contentRange())
        .isEqualTo("bytes 0-" + (content.length - 1) + "/" + content.length);
    assertThat(one.response().partsCount()).isNull();
    assertThat(one.response().eTag()).isEqualTo(etag);

    var head = sdk.s3().headObject(b -> b.bucket("parts-single").key("photo.png").partNumber(1));
    assertThat(head.sdkHttpResponse().statusCode()).isEqualTo(206);
    assertThat(head.contentLength()).isEqualTo(content.length);

    assertError(
        () ->
            sdk.s3().getObjectAsBytes(b -> b.bucket("parts-single").key("photo.png").partNumber(2)),
        416,
        "InvalidPartNumber");
  }

  private CompletedPart part(String id, int number, byte[] content) {
    String etag =
        sdk.s3()
            .uploadPart(
                b -> b.bucket("parts").key("video.mp4").uploadId(id).partNumber(number),
                RequestBody.fromBytes(content))
            .eTag();
    return CompletedPart.builder().partNumber(number).eTag(etag).build();
  }

  private static void assertError(Runnable call, int status, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              if (e.awsErrorDetails().errorCode() != null) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
              }
            });
  }
}
