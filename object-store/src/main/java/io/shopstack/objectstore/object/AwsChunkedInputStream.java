package io.shopstack.objectstore.object;

import io.shopstack.objectstore.auth.ChunkSignatures;
import io.shopstack.objectstore.system.S3Error;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} body, the framing AWS SDKs use for streaming uploads:
 *
 * <pre>
 * 400;chunk-signature=...\r\n  &lt;0x400 bytes&gt;\r\n
 * 0;chunk-signature=...\r\n
 * x-amz-checksum-crc32:AAAAAA==\r\n   (trailers, when the request declared x-amz-trailer)
 * \r\n
 * </pre>
 *
 * When the request was signed with {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}, every chunk
 * signature and the trailer signature are verified as the body streams (see ChunkSignatures); the
 * body ends in an exception before the object is published if one does not match. Trailers are kept
 * for {@link PayloadChecksum}. The decoded length must match {@code x-amz-decoded-content-length}
 * when the client sent one.
 */
final class AwsChunkedInputStream extends InputStream {

  private static final int MAX_LINE = 4096;

  private final InputStream in;
  private final long declaredLength;
  private final Map<String, String> trailers = new HashMap<>();
  private final ChunkSignatures signatures;
  private final MessageDigest chunkDigest;
  private final StringBuilder canonicalTrailers = new StringBuilder();
  private String chunkSignature;
  private String trailerSignature;
  private long remainingInChunk;
  private long decoded;
  private boolean finished;

  /**
   * @param declaredLength x-amz-decoded-content-length, or -1 when absent
   */
  AwsChunkedInputStream(InputStream in, long declaredLength) {
    this(in, declaredLength, null);
  }

  /**
   * @param signatures the chain to verify chunk and trailer signatures against; null when the
   *     payload was not signed chunk by chunk ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER})
   */
  AwsChunkedInputStream(InputStream in, long declaredLength, ChunkSignatures signatures) {
    this.in = in;
    this.declaredLength = declaredLength;
    this.signatures = signatures;
    this.chunkDigest = signatures == null ? null : sha256();
  }

  /** Trailer values by lower-case name; complete once the stream has returned -1. */
  String trailer(String name) {
    return trailers.get(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (remainingInChunk == 0 && !nextChunk()) {
      return -1;
    }
    int n = in.read(buffer, offset, (int) Math.min(length, remainingInChunk));
    if (n == -1) {
      throw S3Error.INCOMPLETE_BODY.exception("The aws-chunked body ended inside a chunk");
    }
    remainingInChunk -= n;
    decoded += n;
    if (chunkDigest != null) {
      chunkDigest.update(buffer, offset, n);
    }
    if (remainingInChunk == 0) {
      expectCrlf();
      verifyChunk();
    }
    return n;
  }

  /** Reads the next chunk header; false after the final zero-length chunk and its trailers. */
  private boolean nextChunk() throws IOException {
    if (finished) {
      return false;
    }
    String header = readLine();
    int semicolon = header.indexOf(';');
    String size = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
    try {
      remainingInChunk = Long.parseLong(size, 16);
    } catch (NumberFormatException e) {
      throw S3Error.INVALID_REQUEST.exception("Malformed aws-chunked chunk header: " + header);
    }
    if (remainingInChunk < 0) {
      throw S3Error.INVALID_REQUEST.exception("Negative aws-chunked chunk size");
    }
    chunkSignature = semicolon < 0 ? null : extension(header.substring(semicolon + 1));
    if (remainingInChunk > 0) {
      return true;
    }
    verifyChunk();
    readTrailers();
    if (signatures != null && !trailers.isEmpty()) {
      signatures.verifyTrailer(trailerSignature, canonicalTrailers.toString());
    }
    finished = true;
    if (declaredLength >= 0 && decoded != declaredLength) {
      throw S3Error.INCOMPLETE_BODY.exception(
          "Decoded " + decoded + " bytes, x-amz-decoded-content-length said " + declaredLength);
    }
    return false;
  }

  private void readTrailers() throws IOException {
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        if (name.equals("x-amz-trailer-signature")) {
          trailerSignature = value;
        } else {
          trailers.put(name, value);
          canonicalTrailers.append(name).append(':').append(value).append('\n');
        }
      }
    }
  }

  private void verifyChunk() {
    if (signatures != null) {
      signatures.verifyChunk(chunkSignature, chunkDigest.digest());
    }
  }

  /** The value of {@code chunk-signature=...} among a chunk header's extensions. */
  private static String extension(String extensions) {
    for (String extension : extensions.split(";")) {
      String trimmed = extension.trim();
      if (trimmed.startsWith("chunk-signature=")) {
        return trimmed.substring("chunk-signature=".length());
      }
    }
    return null;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }

  private void expectCrlf() throws IOException {
    if (in.read() != '\r' || in.read() != '\n') {
      throw S3Error.INVALID_REQUEST.exception("aws-chunked chunk not followed by CRLF");
    }
  }

  /** One CRLF-terminated ASCII line; a body that ends at a line boundary reads as "" (the end). */
  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        if (line.size() == 0) {
          return "";
        }
        throw S3Error.INCOMPLETE_BODY.exception("The aws-chunked body ended inside a line");
      }
      if (line.size() >= MAX_LINE) {
        throw S3Error.INVALID_REQUEST.exception("aws-chunked line too long");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.US_ASCII);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }
}
