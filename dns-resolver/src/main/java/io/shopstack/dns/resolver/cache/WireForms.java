package io.shopstack.dns.resolver.cache;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The encoded answers one cache entry has given, as counted down to one second: a popular name is
 * asked many times a second, and encoding the same records the same way each time is most of what a
 * cache hit costs. One slot per response shape (which header flags and OPT the answer carries); the
 * ID and the question's letter case differ per query and are put in by whoever replays the bytes.
 * The next second's countdown is a new entry with empty slots, so TTLs never go stale here.
 */
public final class WireForms {
  /**
   * Response shapes: RD echoed or not, times OPT present or not, times CD echoed or not, times DO
   * (signatures included) or not.
   */
  public static final int SHAPES = 16;

  private final AtomicReferenceArray<byte[]> byShape = new AtomicReferenceArray<>(SHAPES);

  /** The answer encoded for {@code shape}, or null if none was kept yet. */
  public byte[] get(int shape) {
    return byShape.get(shape);
  }

  public void keep(int shape, byte[] wire) {
    byShape.set(shape, wire);
  }
}
