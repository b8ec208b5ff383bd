package io.shopstack.dns.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A prepared answer as the {@link AnswerTable} keeps it: one byte array holding everything the fast
 * path reads, so that finding and replaying it reads one object after the table's slot. In order:
 * the key's hash, the metrics slot that counts the answer, its flags (truncated; ends with an OPT
 * without options, to which a cookie can be appended), the key's length, the key, then the answer's
 * wire form (the ID and letter case of whoever asked first, no cookie).
 *
 * <p>An answer object holding these fields and a reference to the bytes was one more dependent
 * memory read per lookup, and with tens of thousands of answers a cache miss: 7 % of a replayed
 * answer's user CPU in the profile, as much as the slot's own read. Static methods over the array,
 * not an object around it, so a lookup allocates nothing.
 */
final class KeptAnswer {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final int HASH = 0;
  private static final int ANSWERS = 4;
  private static final int FLAGS = 8;
  private static final int KEY_LENGTH = 9;
  private static final int KEY = 11;
  private static final int TRUNCATED = 1;
  private static final int BARE_OPT = 2;

  private KeptAnswer() {}

  /** {@code answer} under {@code key}, in the kept form. */
  static byte[] of(PlainQuery.Key key, PreparedAnswers.Answer answer) {
    int keyBytes = key.size();
    byte[] wire = answer.wire();
    byte[] kept = new byte[KEY + keyBytes + wire.length];
    INT.set(kept, HASH, key.hashCode());
    INT.set(kept, ANSWERS, answer.answers());
    kept[FLAGS] =
        (byte) ((answer.truncated() ? TRUNCATED : 0) | (answer.endsWithBareOpt() ? BARE_OPT : 0));
    kept[KEY_LENGTH] = (byte) (keyBytes >>> 8);
    kept[KEY_LENGTH + 1] = (byte) keyBytes;
    key.copyTo(kept, KEY);
    System.arraycopy(wire, 0, kept, KEY + keyBytes, wire.length);
    return kept;
  }

  static int hash(byte[] kept) {
    return (int) INT.get(kept, HASH);
  }

  /** True when {@code kept} is kept under {@code key}. */
  static boolean isFor(byte[] kept, PlainQuery.Key key) {
    return key.sameAs(kept, KEY, KEY + keyLength(kept));
  }

  /** True when {@code a} and {@code b} are kept under the same key. */
  static boolean sameKey(byte[] a, byte[] b) {
    return Arrays.equals(a, KEY, KEY + keyLength(a), b, KEY, KEY + keyLength(b));
  }

  /** Where the wire form starts in {@code kept}; it runs to the end. */
  static int wireAt(byte[] kept) {
    return KEY + keyLength(kept);
  }

  static int wireLength(byte[] kept) {
    return kept.length - wireAt(kept);
  }

  /** The metrics slot that counts this answer. */
  static int answers(byte[] kept) {
    return (int) INT.get(kept, ANSWERS);
  }

  static boolean truncated(byte[] kept) {
    return (kept[FLAGS] & TRUNCATED) != 0;
  }

  static boolean endsWithBareOpt(byte[] kept) {
    return (kept[FLAGS] & BARE_OPT) != 0;
  }

  /** The wire form alone (for tests). */
  static byte[] wire(byte[] kept) {
    return Arrays.copyOfRange(kept, wireAt(kept), kept.length);
  }

  private static int keyLength(byte[] kept) {
    return (kept[KEY_LENGTH] & 0xff) << 8 | (kept[KEY_LENGTH + 1] & 0xff);
  }
}
