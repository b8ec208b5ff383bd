package io.shopstack.dns.authoritative.zone;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TTL;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A fast reader for the master files big zones come as: one record per line, no parentheses, at
 * most {@code $ORIGIN} and {@code $TTL}. dnsjava's {@code Master} reads such a file too, but it
 * runs every field through a general tokenizer and tries each record's class as a TTL, paying an
 * exception for every record without one: a million-record zone spent most of its start-up there.
 * This reads the same records the same way (owner, TTL and class in either order, $TTL or 3600 by
 * default, the last owner for a line that starts blank) and builds A, AAAA, CNAME and NS records
 * directly; other types go through dnsjava's own rdata parser.
 *
 * <p>Anything else, or anything it cannot read, makes {@link #read} return null, and the caller
 * parses the text with {@code Master}: its results and error messages are the reference, which
 * {@code OneLineRecordsTest} holds this reader to record by record.
 */
final class OneLineRecords {
  /** Below this a file is read in one piece: splitting it costs more than it saves. */
  static final int PARALLEL_BYTES = 1 << 20;

  private final String text;
  private final int from;
  private final int to;
  private Name origin;
  private long defaultTtl;
  private Name lastOwner;
  private PlainNames names; // for the origin in force, made when first needed

  private OneLineRecords(String text, int from, int to, Name origin, long defaultTtl) {
    this.text = text;
    this.from = from;
    this.to = to;
    this.origin = origin;
    this.defaultTtl = defaultTtl;
  }

  /** The records of {@code text}, or null when it needs the general parser. */
  static List<Record> read(String text, Name origin, long defaultTtl) {
    return read(text, origin, defaultTtl, Runtime.getRuntime().availableProcessors());
  }

  /**
   * The same, a big text cut into {@code pieces} read in parallel. Each piece starts at a line with
   * its own owner, with the $ORIGIN and $TTL in force there, so it reads exactly as it does in
   * sequence; the pieces are joined in file order.
   */
  static List<Record> read(String text, Name origin, long defaultTtl, int pieces) {
    if (text.indexOf('(') >= 0 || text.indexOf(')') >= 0 || text.indexOf('\r') >= 0) {
      return null; // multi-line records (or parentheses in text): the general parser's job
    }
    try {
      if (pieces < 2 || text.length() < PARALLEL_BYTES) {
        return new OneLineRecords(text, 0, text.length(), origin, defaultTtl).records();
      }
      List<OneLineRecords> readers = cut(text, origin, defaultTtl, pieces);
      List<List<Record>> parts =
          readers.parallelStream()
              .map(
                  reader -> {
                    try {
                      return reader.records();
                    } catch (NotPlain | TextParseException | IllegalArgumentException e) {
                      return null;
                    }
                  })
              .toList();
      List<Record> records =
          new ArrayList<>(parts.stream().mapToInt(p -> p == null ? 0 : p.size()).sum());
      for (List<Record> part : parts) {
        if (part == null) {
          return null;
        }
        records.addAll(part);
      }
      return records;
    } catch (NotPlain | TextParseException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Readers for about equal pieces, each beginning at a line that names its owner. The directives
   * before a piece are applied in order (they are few) to know its $ORIGIN and $TTL.
   */
  private static List<OneLineRecords> cut(String text, Name origin, long defaultTtl, int pieces)
      throws NotPlain, TextParseException {
    List<OneLineRecords> readers = new ArrayList<>(pieces);
    OneLineRecords state = new OneLineRecords(text, 0, 0, origin, defaultTtl);
    int start = 0;
    int scanned = 0; // directives before this offset have been applied to state
    for (int i = 1; i <= pieces; i++) {
      int end = text.length();
      if (i < pieces) {
        end = text.indexOf('\n', Math.max(start, (int) ((long) text.length() * i / pieces)));
        // Move on to a line that starts with an owner of its own.
        while (end >= 0 && end + 1 < text.length() && !ownsLine(text.charAt(end + 1))) {
          end = text.indexOf('\n', end + 1);
        }
        end = end < 0 ? text.length() : end + 1;
      }
      if (end <= start) {
        continue;
      }
      for (int d = directiveAtOrAfter(text, scanned); d >= 0 && d < start; ) {
        int lineEnd = text.indexOf('\n', d);
        lineEnd = lineEnd < 0 ? text.length() : lineEnd;
        Fields fields = state.new Fields();
        state.split(d, lineEnd, fields);
        state.directive(fields);
        scanned = lineEnd;
        d = directiveAtOrAfter(text, scanned);
      }
      readers.add(new OneLineRecords(text, start, end, state.origin, state.defaultTtl));
      start = end;
    }
    return readers;
  }

  private static boolean ownsLine(char c) {
    return c != ' ' && c != '\t' && c != '$' && c != ';' && c != '\n';
  }

  /** Where the next line beginning with '$' at or after {@code from} starts, or -1. */
  private static int directiveAtOrAfter(String text, int from) {
    if (from == 0 && text.startsWith("$")) {
      return 0;
    }
    int at = text.indexOf("\n$", from);
    return at < 0 ? -1 : at + 1;
  }

  /** The text uses something this reader leaves to the general parser. */
  private static final class NotPlain extends Exception {
    NotPlain() {
      super(null, null, false, false); // control flow, not an error: no stack trace
    }
  }

  private List<Record> records() throws NotPlain, TextParseException {
    List<Record> records = new ArrayList<>(Math.max(16, (to - from) / 32));
    Fields fields = new Fields();
    int at = from;
    int length = to;
    int lastOwnerStart = -1; // where the text of the last owner field is, to spot a repeat
    int lastOwnerEnd = -1;
    while (at < length) {
      int end = text.indexOf('\n', at);
      if (end < 0) {
        end = length;
      }
      boolean blankOwner = end > at && isBlank(text.charAt(at));
      fields.clear();
      split(at, end, fields);
      at = end + 1;
      if (fields.size() == 0) {
        continue;
      }
      if (!blankOwner && fields.first(0) == '$') {
        directive(fields);
        lastOwnerStart = -1; // a new $ORIGIN makes the same text another name
        continue;
      }
      Name owner;
      int next;
      if (blankOwner) {
        if (lastOwner == null) {
          throw new NotPlain();
        }
        owner = lastOwner;
        next = 0;
      } else if (lastOwnerStart >= 0 && fields.sameText(0, lastOwnerStart, lastOwnerEnd)) {
        owner = lastOwner; // written the same way again: the same name, not parsed twice
        next = 1;
      } else {
        owner = names().of(text, fields.start(0), fields.end(0));
        if (lastOwner != null && owner.equals(lastOwner)) {
          owner = lastOwner; // one Name object per owner, as Master shares it
        }
        lastOwnerStart = fields.start(0);
        lastOwnerEnd = fields.end(0);
        next = 1;
      }
      records.add(record(owner, fields, next));
      lastOwner = owner;
    }
    return records;
  }

  private PlainNames names() {
    if (names == null || names.origin() != origin) {
      names = new PlainNames(origin);
    }
    return names;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** Fields of one line, split at blanks outside quotes, up to a comment. */
  private void split(int from, int to, Fields fields) throws NotPlain {
    int i = from;
    while (i < to) {
      char c = text.charAt(i);
      if (isBlank(c)) {
        i++;
        continue;
      }
      if (c == ';') {
        return;
      }
      int start = i;
      boolean quoted = false;
      while (i < to) {
        c = text.charAt(i);
        if (c == '\\') {
          i += 2;
          continue;
        }
        if (c == '"') {
          quoted = !quoted;
        } else if (!quoted && (isBlank(c) || c == ';')) {
          break;
        }
        i++;
      }
      if (quoted || i > to) {
        throw new NotPlain(); // a string running past the line end
      }
      fields.add(start, i);
    }
  }

  private void directive(Fields fields) throws NotPlain, TextParseException {
    String name = fields.get(0);
    if (fields.size() != 2) {
      throw new NotPlain();
    }
    if (name.equalsIgnoreCase("$ORIGIN")) {
      origin = Name.fromString(fields.get(1), Name.root);
    } else if (name.equalsIgnoreCase("$TTL")) {
      defaultTtl = TTL.parseTTL(fields.get(1));
    } else {
      throw new NotPlain(); // $INCLUDE, $GENERATE, or unknown: the general parser decides
    }
  }

  /**
   * The class, TTL (either order, both optional) and type, then the rdata, as Master reads them.
   * The common words (IN, A, AAAA, CNAME, NS) and an IPv4 address are read where they stand in the
   * text: a substring per field and an {@code InetAddress} per record were most of the garbage a
   * million-record zone made while loading, and the garbage collector's pauses a sixth of its
   * start.
   */
  private Record record(Name owner, Fields fields, int at) throws NotPlain, TextParseException {
    int dclass = DClass.IN;
    boolean seenClass = false;
    long ttl = defaultTtl;
    fields.check(at);
    int value = classAt(fields, at);
    if (value >= 0) {
      dclass = value;
      seenClass = true;
      fields.check(++at);
    }
    if (Character.isDigit(fields.first(at))) {
      ttl = TTL.parseTTL(fields.get(at));
      fields.check(++at);
    }
    if (!seenClass && (value = classAt(fields, at)) >= 0) {
      dclass = value;
      fields.check(++at);
    }
    int type = typeAt(fields, at++);
    if (type < 0 || ttl < 0) {
      throw new NotPlain();
    }
    if (at + 1 == fields.size()) {
      switch (type) {
        case Type.A:
          return new ARecord(owner, dclass, ttl, ipv4(fields.start(at), fields.end(at)));
        case Type.AAAA:
          byte[] v6 = Address.toByteArray(fields.get(at), Address.IPv6);
          if (v6 == null) {
            throw new NotPlain();
          }
          if (!mappedIpv4(v6)) {
            return new AAAARecord(owner, dclass, ttl, v6);
          }
          break;
        case Type.CNAME:
          return new CNAMERecord(
              owner, dclass, ttl, names().of(text, fields.start(at), fields.end(at)));
        case Type.NS:
          return new NSRecord(
              owner, dclass, ttl, names().of(text, fields.start(at), fields.end(at)));
        default:
          break;
      }
    }
    try {
      return Record.fromString(owner, type, dclass, ttl, fields.joined(at), origin);
    } catch (java.io.IOException e) {
      throw new NotPlain();
    }
  }

  private static int classAt(Fields fields, int at) {
    return fields.is(at, "IN") ? DClass.IN : DClass.value(fields.get(at));
  }

  private static int typeAt(Fields fields, int at) {
    if (fields.is(at, "A")) {
      return Type.A;
    }
    if (fields.is(at, "AAAA")) {
      return Type.AAAA;
    }
    if (fields.is(at, "CNAME")) {
      return Type.CNAME;
    }
    if (fields.is(at, "NS")) {
      return Type.NS;
    }
    return Type.value(fields.get(at));
  }

  /**
   * The dotted quad at {@code text[from, to)}, by dnsjava's rules (four decimal octets of one to
   * three digits, none above 255, no leading zero); anything else is not an address, as Master too
   * would say.
   */
  private byte[] ipv4(int from, int to) throws NotPlain {
    byte[] address = new byte[4];
    int octet = 0;
    int value = 0;
    int digits = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digits == 3 || (digits > 0 && value == 0)) {
          throw new NotPlain();
        }
        digits++;
        value = value * 10 + (c - '0');
        if (value > 255) {
          throw new NotPlain();
        }
      } else if (c == '.' && octet < 3 && digits > 0) {
        address[octet++] = (byte) value;
        value = 0;
        digits = 0;
      } else {
        throw new NotPlain();
      }
    }
    if (octet != 3 || digits == 0) {
      throw new NotPlain();
    }
    address[3] = (byte) value;
    return address;
  }

  /** ::ffff:a.b.c.d, which InetAddress turns into an IPv4 address: left to dnsjava's parser. */
  private static boolean mappedIpv4(byte[] v6) {
    for (int i = 0; i < 10; i++) {
      if (v6[i] != 0) {
        return false;
      }
    }
    return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
  }

  /**
   * The fields of one line as offsets into the text, made into a {@code String} only where a record
   * needs one (an owner, a TTL, rdata other than an IPv4 address). One per reader, reused for every
   * line.
   */
  private final class Fields {
    private int[] starts = new int[8];
    private int[] ends = new int[8];
    private int count;

    void clear() {
      count = 0;
    }

    void add(int start, int end) {
      if (count == starts.length) {
        starts = Arrays.copyOf(starts, count * 2);
        ends = Arrays.copyOf(ends, count * 2);
      }
      starts[count] = start;
      ends[count++] = end;
    }

    int size() {
      return count;
    }

    int start(int i) {
      return starts[i];
    }

    int end(int i) {
      return ends[i];
    }

    /** A record that ends before field {@code i} is not one this reader knows. */
    void check(int i) throws NotPlain {
      if (i >= count) {
        throw new NotPlain();
      }
    }

    String get(int i) {
      return text.substring(starts[i], ends[i]);
    }

    char first(int i) {
      return text.charAt(starts[i]);
    }

    /** Field {@code i} is {@code word}, in any case, as dnsjava's mnemonics compare. */
    boolean is(int i, String word) {
      return ends[i] - starts[i] == word.length()
          && text.regionMatches(true, starts[i], word, 0, word.length());
    }

    /** Field {@code i} has the same characters as {@code text[from, to)}. */
    boolean sameText(int i, int from, int to) {
      return ends[i] - starts[i] == to - from
          && text.regionMatches(starts[i], text, from, to - from);
    }

    /** Fields {@code i} to the last, joined by one space: rdata for dnsjava's own parser. */
    String joined(int i) {
      if (i >= count) {
        return "";
      }
      StringBuilder rdata = new StringBuilder(ends[count - 1] - starts[i]);
      for (int f = i; f < count; f++) {
        if (f > i) {
          rdata.append(' ');
        }
        rdata.append(text, starts[f], ends[f]);
      }
      return rdata.toString();
    }
  }
}
