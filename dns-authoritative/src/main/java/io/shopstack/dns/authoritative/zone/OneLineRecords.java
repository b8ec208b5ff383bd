package io.shopstack.dns.authoritative.zone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
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
        List<String> fields = new ArrayList<>(2);
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
    List<String> fields = new ArrayList<>(8);
    int at = from;
    int length = to;
    while (at < length) {
      int end = text.indexOf('\n', at);
      if (end < 0) {
        end = length;
      }
      boolean blankOwner = end > at && isBlank(text.charAt(at));
      fields.clear();
      split(at, end, fields);
      at = end + 1;
      if (fields.isEmpty()) {
        continue;
      }
      String first = fields.get(0);
      if (!blankOwner && first.charAt(0) == '$') {
        directive(fields);
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
      } else {
        owner = Name.fromString(first, origin);
        if (lastOwner != null && owner.equals(lastOwner)) {
          owner = lastOwner; // one Name object per owner, as Master shares it
        }
        next = 1;
      }
      records.add(record(owner, fields, next));
      lastOwner = owner;
    }
    return records;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** Fields of one line, split at blanks outside quotes, up to a comment. */
  private void split(int from, int to, List<String> fields) throws NotPlain {
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
      fields.add(text.substring(start, i));
    }
  }

  private void directive(List<String> fields) throws NotPlain, TextParseException {
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
   */
  private Record record(Name owner, List<String> fields, int at)
      throws NotPlain, TextParseException {
    int dclass = DClass.IN;
    boolean seenClass = false;
    long ttl = defaultTtl;
    String s = field(fields, at++);
    int value = DClass.value(s);
    if (value >= 0) {
      dclass = value;
      seenClass = true;
      s = field(fields, at++);
    }
    if (Character.isDigit(s.charAt(0))) {
      ttl = TTL.parseTTL(s);
      s = field(fields, at++);
    }
    if (!seenClass && (value = DClass.value(s)) >= 0) {
      dclass = value;
      s = field(fields, at++);
    }
    int type = Type.value(s);
    if (type < 0 || ttl < 0) {
      throw new NotPlain();
    }
    if (at + 1 == fields.size()) {
      String rdata = fields.get(at);
      switch (type) {
        case Type.A:
          return new ARecord(owner, dclass, ttl, address(Address.toByteArray(rdata, Address.IPv4)));
        case Type.AAAA:
          byte[] v6 = Address.toByteArray(rdata, Address.IPv6);
          if (v6 != null && !mappedIpv4(v6)) {
            return new AAAARecord(owner, dclass, ttl, address(v6));
          }
          break;
        case Type.CNAME:
          return new CNAMERecord(owner, dclass, ttl, Name.fromString(rdata, origin));
        case Type.NS:
          return new NSRecord(owner, dclass, ttl, Name.fromString(rdata, origin));
        default:
          break;
      }
    }
    try {
      return Record.fromString(
          owner, type, dclass, ttl, String.join(" ", fields.subList(at, fields.size())), origin);
    } catch (java.io.IOException e) {
      throw new NotPlain();
    }
  }

  private static String field(List<String> fields, int at) throws NotPlain {
    if (at >= fields.size()) {
      throw new NotPlain();
    }
    return fields.get(at);
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

  private static InetAddress address(byte[] bytes) throws NotPlain {
    if (bytes == null) {
      throw new NotPlain();
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new NotPlain();
    }
  }
}
