package io.shopstack.dns.resolver.cache;

import io.netty.buffer.ByteBuf;
import io.shopstack.dns.server.WireQuestion;
import java.util.Arrays;
import org.xbill.DNS.Name;

/**
 * What the answer cache is keyed by: the question name as it travels on the wire, folded to lower
 * case (RFC 4343), then type, class and the {@link CacheScope}, as one byte string hashed once. A
 * cache hit is mostly a key comparison; comparing dnsjava {@code Name}s letter by letter, case
 * folded on every compare, was a seventh of a cached answer's time. A query read off the wire fills
 * a reusable scratch key ({@link #scratch}, {@link #readQuestion}) without allocating.
 *
 * <p>Keys that go into the map also keep the parts they were made of, for flushes and dumps.
 */
public final class CacheKey {
  /** Longest name on the wire, type, class, scope tag, prefix and an IPv6 address. */
  private static final int MAX_BYTES = 255 + 4 + 1 + 1 + 16;

  private static final byte TAG_EVERYONE = 0;
  private static final byte TAG_UNLOCATED = 1;
  private static final byte TAG_SUBNET = 2;

  private final byte[] bytes;
  private int length;
  private int hash;

  // The parts, for keys kept in the cache (null in a scratch key).
  private final Name name;
  private final int type;
  private final CacheScope scope;

  private CacheKey(byte[] bytes, int length, Name name, int type, CacheScope scope) {
    this.bytes = bytes;
    this.name = name;
    this.type = type;
    this.scope = scope;
    seal(length);
  }

  static CacheKey of(Name name, int type, int dclass, CacheScope scope) {
    byte[] wire = name.toWireCanonical(); // lower case, uncompressed
    byte[] address = scope.subnet() == null ? null : scope.subnet().network().getAddress();
    int length = wire.length + 5 + (address == null ? 0 : 1 + address.length);
    byte[] bytes = Arrays.copyOf(wire, length);
    int p = questionTail(bytes, wire.length, type, dclass);
    switch (scope.kind()) {
      case EVERYONE -> bytes[p] = TAG_EVERYONE;
      case UNLOCATED -> bytes[p] = TAG_UNLOCATED;
      case SUBNET -> {
        bytes[p] = TAG_SUBNET;
        bytes[p + 1] = (byte) scope.subnet().prefixLength();
        System.arraycopy(address, 0, bytes, p + 2, address.length);
      }
    }
    return new CacheKey(bytes, length, name, type, scope);
  }

  /** A key to be filled again and again by {@link #readQuestion}; never to be kept in a map. */
  public static CacheKey scratch() {
    return new CacheKey(new byte[MAX_BYTES], 0, null, 0, null);
  }

  /**
   * Makes this scratch key the one for everyone's answer to the question {@code question} last read
   * from {@code wire}.
   */
  public void readQuestion(ByteBuf wire, WireQuestion question) {
    int nameLength = question.nameLength();
    question.copyFoldedName(wire, bytes);
    bytes[questionTail(bytes, nameLength, question.qtype(), question.qclass())] = TAG_EVERYONE;
    seal(nameLength + 5);
  }

  private static int questionTail(byte[] bytes, int at, int type, int dclass) {
    bytes[at] = (byte) (type >>> 8);
    bytes[at + 1] = (byte) type;
    bytes[at + 2] = (byte) (dclass >>> 8);
    bytes[at + 3] = (byte) dclass;
    return at + 4;
  }

  private void seal(int length) {
    this.length = length;
    int h = 1;
    for (int i = 0; i < length; i++) {
      h = 31 * h + bytes[i];
    }
    this.hash = h;
  }

  Name name() {
    return name;
  }

  int type() {
    return type;
  }

  CacheScope scope() {
    return scope;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheKey other
        && hash == other.hash
        && Arrays.equals(bytes, 0, length, other.bytes, 0, other.length);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return name == null ? "scratch key" : name + " " + type + " " + scope;
  }
}
