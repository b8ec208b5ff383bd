package io.shopstack.dns.resolver.cache;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The encoded answers one cache entry has given, for the rest of its life: a popular name is asked
 * many times a second, and encoding the same records the same way each time is most of what a cache
 * hit costs. One slot per response shape (which header flags and OPT the answer carries); the ID
 * and the question's letter case differ per query and are put in by whoever replays the bytes, and
 * so are the TTLs: each answer and authority record's TTL becomes the smaller of the kept one and
 * the seconds the entry has left ({@link #replayTtls}), which is what the records counted down to
 * that second encode to (the kept bytes are never younger than the entry's current second).
 */
public final class WireForms {
  /**
   * Response shapes: RD echoed or not, times OPT present or not, times CD echoed or not, times DO
   * (signatures included) or not.
   */
  public static final int SHAPES = 16;

  private static final int HEADER_BYTES = 12;

  /** One kept answer and where the TTL of each of its answer and authority records starts. */
  public record Kept(byte[] wire, int[] ttlAt) {}

  private final AtomicReferenceArray<Kept> byShape = new AtomicReferenceArray<>(SHAPES);

  /** The answer encoded for {@code shape}, or null if none was kept yet. */
  public Kept get(int shape) {
    return byShape.get(shape);
  }

  /** Keeps {@code wire} (one question, then answer and authority records) for {@code shape}. */
  public void keep(int shape, byte[] wire) {
    int[] ttlAt = ttlOffsets(wire);
    if (ttlAt != null) {
      byShape.set(shape, new Kept(wire, ttlAt));
    }
  }

  /**
   * Writes into {@code out} (a copy of {@code kept}'s bytes starting at {@code base}) the TTLs of
   * an entry with {@code secondsLeft} seconds to live. Both replays use it: the one into the
   * outgoing buffer before parsing, and the one into a byte array after.
   */
  public static void replayTtls(ByteBuf out, int base, Kept kept, long secondsLeft) {
    for (int at : kept.ttlAt()) {
      if (out.getUnsignedInt(base + at) > secondsLeft) {
        out.setInt(base + at, (int) secondsLeft);
      }
    }
  }

  /** The TTL offsets of the answer and authority records, or null for a message not of our form. */
  private static int[] ttlOffsets(byte[] wire) {
    if (wire.length < HEADER_BYTES || count(wire, 4) != 1) {
      return null;
    }
    int records = count(wire, 6) + count(wire, 8);
    int[] ttlAt = new int[records];
    int p = skipName(wire, HEADER_BYTES);
    if (p < 0) {
      return null;
    }
    p += 4; // the question's type and class
    for (int i = 0; i < records; i++) {
      p = skipName(wire, p);
      if (p < 0 || p + 10 > wire.length) {
        return null;
      }
      ttlAt[i] = p + 4; // after type and class
      p += 10 + count(wire, p + 8);
    }
    return p <= wire.length ? ttlAt : null;
  }

  private static int count(byte[] wire, int at) {
    return (wire[at] & 0xff) << 8 | wire[at + 1] & 0xff;
  }

  /** Where the name starting at {@code p} ends (labels, then a root label or a pointer); -1. */
  private static int skipName(byte[] wire, int p) {
    while (p >= 0 && p < wire.length) {
      int label = wire[p] & 0xff;
      if (label == 0) {
        return p + 1;
      }
      if ((label & 0xc0) == 0xc0) {
        return p + 2;
      }
      if (label > 63) {
        return -1;
      }
      p += 1 + label;
    }
    return -1;
  }
}
