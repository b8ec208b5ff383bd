package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.WireParseException;

/**
 * An ordinary query read straight off the wire, without building a dnsjava {@code Message}: opcode
 * QUERY, one class-IN question with an uncompressed name, no answer or authority records, and at
 * most one EDNS version 0 OPT carrying no options or one cookie. That is what resolvers and load
 * generators send, and all its answer depends on besides the zone data is {@link Key}, and for a
 * cookie the server cookie appended to the prepared answer ({@link AnswerReplay}). Anything else is
 * not a plain query ({@link #read} returns null) and takes the full parser, so garbage still gets
 * FORMERR from there.
 *
 * <p>The header, question and OPT are read by {@link WireQuestion}; what is this class's own is the
 * one-cookie rule and the key. Read into a scratch instance that each event loop thread reuses
 * ({@link #readInto}), so a query answered from a prepared answer allocates nothing here; a query
 * that goes on to the full path takes a {@link #copy()}, since its answer may come later on another
 * thread.
 */
final class PlainQuery {
  private static final int QUESTION_OFFSET = WireFormat.HEADER_LENGTH;
  private static final int OPTION_COOKIE = 10;

  /** The longest key: a 255-byte name, the type, the EDNS bits and the size limit. */
  private static final int MAX_KEY_BYTES = 255 + 5;

  int id;
  boolean recursionDesired;

  /** Bytes of the question name on the wire, the terminating root label included. */
  int nameLength;

  final Key key;

  /** The biggest answer this query may receive (also in the key). */
  int limit;

  /** Where in the wire the client cookie starts, or -1 when the query offers none. */
  int clientCookieAt;

  /** The scratch wire reader behind {@link #readInto}; null in a {@link #copy()}. */
  private final WireQuestion question;

  /** A scratch instance for {@link #readInto}. */
  PlainQuery() {
    this.key = new Key(new byte[MAX_KEY_BYTES], 0);
    this.question = new WireQuestion();
  }

  private PlainQuery(PlainQuery from) {
    this.id = from.id;
    this.recursionDesired = from.recursionDesired;
    this.nameLength = from.nameLength;
    this.key = from.key.copy();
    this.limit = from.limit;
    this.clientCookieAt = from.clientCookieAt;
    this.question = null;
  }

  /** A copy that owns its key, for a query whose answer is made later. */
  PlainQuery copy() {
    return new PlainQuery(this);
  }

  /** The query type asked. */
  int qtype() {
    return key.qtype();
  }

  /**
   * What an answer to a plain query depends on besides the zones: the question (name
   * case-insensitively, type), whether the query had an OPT and its DO bit (our OPT copies it), its
   * RD bit (an authoritative server adds its NS to answers to non-recursive queries, as BIND does),
   * and the size the answer may have (truncation). Compared as bytes, hashed once.
   */
  static final class Key {
    // Final for every key kept in a map; only a scratch instance's are rewritten, by readInto.
    private final byte[] bytes;
    private int length;
    private int hash;

    Key(byte[] bytes) {
      this(bytes, bytes.length);
    }

    private Key(byte[] bytes, int length) {
      this.bytes = bytes;
      set(length);
    }

    private void set(int length) {
      this.length = length;
      int h = 1;
      for (int i = 0; i < length; i++) {
        h = 31 * h + bytes[i];
      }
      this.hash = h;
    }

    Key copy() {
      return new Key(Arrays.copyOf(bytes, length), length);
    }

    int size() {
      return length;
    }

    /** Copies the key's bytes into {@code into} from {@code at} on. */
    void copyTo(byte[] into, int at) {
      System.arraycopy(bytes, 0, into, at, length);
    }

    /** True when the bytes of {@code other} from {@code from} to {@code to} are this key. */
    boolean sameAs(byte[] other, int from, int to) {
      return Arrays.equals(bytes, 0, length, other, from, to);
    }

    int qtype() {
      return length < 5 ? -1 : (bytes[length - 5] & 0xff) << 8 | (bytes[length - 4] & 0xff);
    }

    /** The question's name (lower case), or null when the key holds none. */
    Name name() {
      if (length < 6) {
        return null;
      }
      try {
        return new Name(new DNSInput(Arrays.copyOf(bytes, length - 5)));
      } catch (WireParseException e) {
        return null;
      }
    }

    /** True when {@code answer} echoes this question's name (in any letter case) at offset 12. */
    boolean echoedBy(byte[] answer, int nameLength) {
      if (answer.length < QUESTION_OFFSET + nameLength) {
        return false;
      }
      for (int i = 0; i < nameLength; i++) {
        byte b = answer[QUESTION_OFFSET + i];
        if ((b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b) != bytes[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key other
          && hash == other.hash
          && Arrays.equals(bytes, 0, length, other.bytes, 0, other.length);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * Reads the readable bytes of {@code wire} without moving its indexes; null when the message is
   * not a plain query (including every malformed one). The answer size in the key is 65535 over
   * TCP; over UDP it is the query's EDNS size capped at {@code maxUdpPayload}, or 512 without EDNS.
   */
  static PlainQuery read(ByteBuf wire, Transport transport, int maxUdpPayload) {
    PlainQuery query = new PlainQuery();
    return query.readInto(wire, transport, maxUdpPayload) ? query.copy() : null;
  }

  /** {@link #read} into this scratch instance; false when the message is not a plain query. */
  boolean readInto(ByteBuf wire, Transport transport, int maxUdpPayload) {
    WireQuestion question = this.question;
    if (!question.readInto(wire)) {
      return false;
    }
    int clientCookieAt = -1;
    if (!question.noOptions()) {
      clientCookieAt = onlyCookie(wire, question.optionsAt(), question.optionsEnd());
      if (clientCookieAt < 0) {
        return false;
      }
    }
    int nameLength = question.nameLength();
    int qtype = question.qtype();
    int limit = question.limit(transport, maxUdpPayload);
    boolean recursionDesired = question.recursionDesired();
    byte[] key = this.key.bytes;
    question.copyFoldedName(wire, key);
    key[nameLength] = (byte) (qtype >>> 8);
    key[nameLength + 1] = (byte) qtype;
    key[nameLength + 2] =
        (byte)
            ((question.hasOpt() ? 1 : 0)
                | (question.dnssecOk() ? 2 : 0)
                | (recursionDesired ? 4 : 0));
    key[nameLength + 3] = (byte) (limit >>> 8);
    key[nameLength + 4] = (byte) limit;
    this.key.set(nameLength + 5);
    this.id = question.id();
    this.recursionDesired = recursionDesired;
    this.nameLength = nameLength;
    this.limit = limit;
    this.clientCookieAt = clientCookieAt;
    return true;
  }

  /**
   * Where the client cookie starts when the OPT data is exactly one well-formed COOKIE option (RFC
   * 7873 4: 8-byte client cookie, optionally 8 to 32 bytes of server cookie), else -1. Any other
   * option might change the answer (Client Subnet), so it disqualifies.
   */
  private static int onlyCookie(ByteBuf wire, int from, int to) {
    if (from + 4 > to) {
      return -1;
    }
    int code = wire.getUnsignedShort(from);
    int length = wire.getUnsignedShort(from + 2);
    if (code != OPTION_COOKIE
        || !(length == 8 || (length >= 16 && length <= 40))
        || from + 4 + length != to) {
      return -1;
    }
    return from + 4;
  }
}
