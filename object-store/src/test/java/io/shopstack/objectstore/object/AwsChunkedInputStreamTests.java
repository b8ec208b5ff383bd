package io.shopstack.objectstore.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.objectstore.system.S3Error;
import io.shopstack.objectstore.system.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The framing the AWS SDK sends, byte for byte as documented for SigV4 streaming uploads. */
class AwsChunkedInputStreamTests {

  private static final String SIG = ";chunk-signature=" + "0".repeat(64);

  @Test
  void signedChunksWithChecksumTrailerDecodeToThePayload() throws IOException {
    String body =
        "5"
            + SIG
            + "\r\nhello\r\n"
            + "6"
            + SIG
            + "\r\n world\r\n"
            + "0"
            + SIG
            + "\r\n"
            + "x-amz-checksum-crc32:"
            + crc32("hello world")
            + "\r\n"
            + "x-amz-trailer-signature:"
            + "1".repeat(64)
            + "\r\n\r\n";

    assertThat(decode(body, 11, "x-amz-checksum-crc32")).isEqualTo("hello world");
  }

  @Test
  void unsignedChunksDecodeToo() throws IOException {
    assertThat(decode("3\r\nabc\r\n0\r\n\r\n", 3, null)).isEqualTo("abc");
  }

  @Test
  void wrongTrailerChecksumIsBadDigest() {
    String body =
        "5"
            + SIG
            + "\r\nhello\r\n0"
            + SIG
            + "\r\nx-amz-checksum-crc32:"
            + crc32("jello")
            + "\r\n\r\n";
    assertThatThrownBy(() -> decode(body, 5, "x-amz-checksum-crc32"))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.BAD_DIGEST));
  }

  @Test
  void bodyShorterThanDeclaredIsIncomplete() {
    assertThatThrownBy(() -> decode("5\r\nhel", 5, null))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INCOMPLETE_BODY));
    assertThatThrownBy(() -> decode("3\r\nabc\r\n0\r\n\r\n", 4, null))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INCOMPLETE_BODY));
  }

  @Test
  void garbageChunkHeaderIsRefused() {
    assertThatThrownBy(() -> decode("zz\r\nabc\r\n", -1, null))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_REQUEST));
  }

  private static String decode(String body, long declared, String trailer) throws IOException {
    AwsChunkedInputStream decoder =
        new AwsChunkedInputStream(
            new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), declared);
    InputStream in =
        trailer == null
            ? decoder
            : PayloadChecksum.verifying(decoder, trailer, () -> decoder.trailer(trailer));
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static String crc32(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
