package io.shopstack.objectstore.object;

import io.shopstack.objectstore.system.S3Error;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * Chunk signatures are skipped, not verified (this store does not check signatures at all), and the
 * trailers are kept for {@link PayloadChecksum}. The decoded length must match {@code
 * x-amz-decoded-content-length} when the client sent one.
 */
final class AwsChunkedInputStream extends InputStream {

  private static final int MAX_LINE = 4096;

  private final InputStream in;
  private final long declaredLength;
  private final Map<String, String> trailers = new HashMap<>();
  private long remainingInChunk;
  private long decoded;
  private boolean finished;

  /**
   * @param declaredLength x-amz-decoded-content-length, or -1 when absent
   */
  AwsChunkedInputStream(InputStream in, long declaredLength) {
    this.in = in;
    this.declaredLength = declaredLength;
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
    if (remainingInChunk == 0) {
      expectCrlf();
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
    if (remainingInChunk > 0) {
      return true;
    }
    readTrailers();
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
        trailers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
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
