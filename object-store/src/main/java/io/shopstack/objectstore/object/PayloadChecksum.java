package io.shopstack.objectstore.object;

import io.shopstack.objectstore.storage.ChecksumAlgorithm;
import io.shopstack.objectstore.system.S3Error;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.zip.Checksum;

/**
 * Verifies the flexible checksum an S3 client attaches to an upload ({@code x-amz-checksum-*} as a
 * header or, with aws-chunked, as a trailer), or the classic {@code Content-MD5}. The check runs
 * when the body reaches its end, before the object is published, so a corrupted upload fails with
 * BadDigest and leaves the previous version in place. Algorithms the JDK lacks (CRC64NVME) are not
 * verified.
 */
final class PayloadChecksum extends FilterInputStream {

  private final String name;
  private final Supplier<String> expected;
  private final Checksum checksum;
  private final MessageDigest digest;
  private final boolean hex;
  private boolean verified;

  private PayloadChecksum(
      InputStream in, String name, Supplier<String> expected, Checksum crc, MessageDigest digest) {
    this(in, name, expected, crc, digest, false);
  }

  private PayloadChecksum(
      InputStream in,
      String name,
      Supplier<String> expected,
      Checksum crc,
      MessageDigest digest,
      boolean hex) {
    super(in);
    this.name = name;
    this.expected = expected;
    this.checksum = crc;
    this.digest = digest;
    this.hex = hex;
  }

  /**
   * Wraps {@code body} to verify the hex SHA-256 a SigV4 client declares in {@code
   * x-amz-content-sha256}: the signature covers that declaration, so only this check ties the
   * signature to the bytes that actually arrived.
   */
  static InputStream verifyingSha256Hex(InputStream body, String expectedHex) {
    try {
      return new PayloadChecksum(
          body, "x-amz-content-sha256", () -> expectedHex, null, digest("SHA-256"), true);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }

  /**
   * Wraps {@code body} to verify the checksum named by {@code header} (for example
   * "x-amz-checksum-crc32" or "Content-MD5"); returns {@code body} for unknown algorithms.
   */
  static InputStream verifying(InputStream body, String header, Supplier<String> expected) {
    if (header.equalsIgnoreCase("Content-MD5")) {
      try {
        return new PayloadChecksum(body, header, expected, null, digest("MD5"));
      } catch (NoSuchAlgorithmException e) {
        return body;
      }
    }
    return ChecksumAlgorithm.ofHeader(header)
        .<InputStream>map(
            algorithm ->
                new PayloadChecksum(
                    body, header, expected, algorithm.newCrc(), algorithm.newDigest()))
        .orElse(body);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      if (checksum != null) {
        checksum.update(buffer, offset, n);
      } else {
        digest.update(buffer, offset, n);
      }
    } else if (n == -1 && !verified) {
      verified = true;
      verify();
    }
    return n;
  }

  private void verify() {
    String want = expected.get();
    if (want == null) {
      throw S3Error.BAD_DIGEST.exception("The request declared " + name + " but never sent it");
    }
    byte[] actual =
        checksum != null
            ? ByteBuffer.allocate(4).putInt((int) checksum.getValue()).array()
            : digest.digest();
    if (hex) {
      if (!HexFormat.of().formatHex(actual).equalsIgnoreCase(want.trim())) {
        throw S3Error.CONTENT_SHA256_MISMATCH.exception();
      }
      return;
    }
    if (!Base64.getEncoder().encodeToString(actual).equals(want.trim())) {
      throw S3Error.BAD_DIGEST.exception(
          "The " + name + " you specified did not match the calculated checksum");
    }
  }

  private static MessageDigest digest(String algorithm) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance(algorithm);
  }
}
