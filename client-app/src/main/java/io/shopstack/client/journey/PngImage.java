package io.shopstack.client.journey;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Recognises a PNG by its signature and reads its size from the IHDR chunk that must follow. */
final class PngImage {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private PngImage() {}

  static boolean isPng(byte[] bytes) {
    return bytes.length >= SIGNATURE.length
        && Arrays.equals(bytes, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
  }

  /** e.g. {@code 640x480, 12345 bytes}; the size only when a well-formed IHDR is present. */
  static String describe(byte[] bytes) {
    // signature (8), IHDR length (4), "IHDR" (4), width (4), height (4)
    if (bytes.length >= 24
        && new String(bytes, 12, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("IHDR")) {
      ByteBuffer ihdr = ByteBuffer.wrap(bytes, 16, 8);
      return Integer.toUnsignedString(ihdr.getInt())
          + "x"
          + Integer.toUnsignedString(ihdr.getInt())
          + ", "
          + bytes.length
          + " bytes";
    }
    return bytes.length + " bytes";
  }
}
