package io.shopstack.dns.edns;

/**
 * SipHash-2-4 (Aumasson and Bernstein), the keyed hash RFC 9018 prescribes for server cookies: fast
 * on short inputs and unforgeable without the key, which is all a cookie needs.
 */
final class SipHash {
  private SipHash() {}

  /** The 64-bit hash of {@code message} under the 128-bit key {@code (k0, k1)}. */
  static long hash(long k0, long k1, byte[] message) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    int length = message.length;
    int whole = length - (length % 8);
    long[] v = {v0, v1, v2, v3};
    for (int i = 0; i < whole; i += 8) {
      long m = littleEndian(message, i, 8);
      v[3] ^= m;
      rounds(v, 2);
      v[0] ^= m;
    }
    long last = ((long) length << 56) | littleEndian(message, whole, length - whole);
    v[3] ^= last;
    rounds(v, 2);
    v[0] ^= last;
    v[2] ^= 0xff;
    rounds(v, 4);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
  }

  static long littleEndian(byte[] bytes, int from, int count) {
    long value = 0;
    for (int i = 0; i < count; i++) {
      value |= (bytes[from + i] & 0xffL) << (8 * i);
    }
    return value;
  }

  private static void rounds(long[] v, int n) {
    for (int i = 0; i < n; i++) {
      v[0] += v[1];
      v[1] = Long.rotateLeft(v[1], 13);
      v[1] ^= v[0];
      v[0] = Long.rotateLeft(v[0], 32);
      v[2] += v[3];
      v[3] = Long.rotateLeft(v[3], 16);
      v[3] ^= v[2];
      v[0] += v[3];
      v[3] = Long.rotateLeft(v[3], 21);
      v[3] ^= v[0];
      v[2] += v[1];
      v[1] = Long.rotateLeft(v[1], 17);
      v[1] ^= v[2];
      v[2] = Long.rotateLeft(v[2], 32);
    }
  }
}
