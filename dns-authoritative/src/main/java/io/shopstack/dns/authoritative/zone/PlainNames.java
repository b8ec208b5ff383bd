package io.shopstack.dns.authoritative.zone;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Owner names of a big zone made straight into dnsjava's {@link Name}: the wire bytes and label
 * offsets written once, as its own constructor leaves them. {@code Name.fromString} builds a name
 * through a 63-character scratch array and one array per label appended: about 190 bytes of garbage
 * per owner, most of what a million-record zone allocated while loading besides the records, and
 * the collector's young pauses were a fifth of that start. Only plain names are made here (labels
 * of letters, digits, '-' and '_' within the length limits, under an absolute origin); anything
 * else goes to {@code Name.fromString}, which stays the reference. Reaching into dnsjava's private
 * fields is checked, as stack-common's {@code KnownFamilySockets} checks Netty's: Name must have
 * exactly the fields this writes, and sample names made both ways must be the same field for field;
 * if not (another dnsjava), every name goes to {@code Name.fromString}, logged once.
 */
final class PlainNames {
  private static final Logger log = LoggerFactory.getLogger(PlainNames.class);
  private static final int MAX_NAME = 255;
  private static final int MAX_LABEL = 63;

  /** dnsjava keeps the offsets of labels 1 to 8 in a long, a byte each (its MAXOFFSETS is 9). */
  private static final int KEPT_OFFSETS = 8;

  private static final MethodHandle NEW_NAME;
  private static final VarHandle WIRE;
  private static final VarHandle OFFSETS;
  private static final VarHandle LABELS;
  private static final boolean ON;

  static {
    MethodHandle newName = null;
    VarHandle wire = null;
    VarHandle offsets = null;
    VarHandle labels = null;
    String why = null;
    try {
      Set<String> fields =
          Arrays.stream(Name.class.getDeclaredFields())
              .filter(f -> !Modifier.isStatic(f.getModifiers()))
              .map(Field::getName)
              .collect(Collectors.toSet());
      if (!fields.equals(Set.of("name", "offsets", "hashcode", "labels"))) {
        why = "its fields are " + fields;
      } else {
        MethodHandles.Lookup inName =
            MethodHandles.privateLookupIn(Name.class, MethodHandles.lookup());
        newName = inName.findConstructor(Name.class, MethodType.methodType(void.class));
        wire = inName.findVarHandle(Name.class, "name", byte[].class);
        offsets = inName.findVarHandle(Name.class, "offsets", long.class);
        labels = inName.findVarHandle(Name.class, "labels", int.class);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      why = e.toString();
    }
    NEW_NAME = newName;
    WIRE = wire;
    OFFSETS = offsets;
    LABELS = labels;
    if (why == null) {
      why = differenceFromDnsjava();
    }
    ON = why == null;
    if (!ON) {
      log.info("zone owner names are parsed by dnsjava's Name.fromString: {}", why);
    }
  }

  private final Name origin;
  private final byte[] originWire;
  private final int originLabels;

  /** Names under {@code origin}. */
  PlainNames(Name origin) {
    this.origin = origin;
    this.originWire = origin.isAbsolute() ? origin.toWire() : null;
    this.originLabels = origin.labels();
  }

  /** Whether names are made here: false only for a dnsjava this does not know. */
  static boolean on() {
    return ON;
  }

  Name origin() {
    return origin;
  }

  /** {@code text[from, to)} under the origin, as {@code Name.fromString} makes it. */
  Name of(String text, int from, int to) throws TextParseException {
    Name made = ON ? plain(text, from, to) : null;
    return made != null ? made : Name.fromString(text.substring(from, to), origin);
  }

  /** The name, or null when it is not a plain relative name under an absolute origin. */
  private Name plain(String text, int from, int to) {
    if (originWire == null || to <= from) {
      return null;
    }
    int length = to - from + 1 + originWire.length; // each dot a length byte, plus the first
    if (length > MAX_NAME) {
      return null;
    }
    byte[] wire = new byte[length];
    int labels = 0;
    int lengthAt = 0; // where the current label's length byte goes
    for (int i = from; i <= to; i++) {
      char c = i < to ? text.charAt(i) : '.';
      int at = i - from + 1;
      if (c == '.') {
        int labelLength = at - 1 - lengthAt;
        if (labelLength == 0 || labelLength > MAX_LABEL) {
          return null; // an empty label, a trailing dot (an absolute name), or a label too long
        }
        wire[lengthAt] = (byte) labelLength;
        labels++;
        lengthAt = at;
      } else if (plain(c)) {
        wire[at] = (byte) c;
      } else {
        return null; // escapes, '@', '*' and the rest: dnsjava's rules
      }
    }
    System.arraycopy(originWire, 0, wire, lengthAt, originWire.length);
    return make(wire, labels + originLabels);
  }

  private static boolean plain(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  private static Name make(byte[] wire, int labels) {
    long offsets = 0;
    for (int n = 1, at = 0; n < labels && n <= KEPT_OFFSETS; n++) {
      at += wire[at] + 1;
      offsets |= (long) at << (8 * (n - 1));
    }
    try {
      Name name = (Name) NEW_NAME.invokeExact();
      WIRE.set(name, wire);
      OFFSETS.set(name, offsets);
      LABELS.set(name, labels);
      return name;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot make a dnsjava Name", e);
    }
  }

  /** Null when sample names made here are dnsjava's field for field, else what differs. */
  private static String differenceFromDnsjava() {
    try {
      Name origin = Name.fromString("million.example.");
      PlainNames names = new PlainNames(origin);
      for (String sample :
          List.of(
              "n999999",
              "Mixed-Case_9",
              "a.b",
              "a.b.c.d.e.f.g.h.i.j",
              "x".repeat(63),
              ("y".repeat(60) + ".").repeat(3) + "z".repeat(54))) {
        Name made = names.plain(sample, 0, sample.length());
        Name parsed = Name.fromString(sample, origin);
        if (made == null
            || !Arrays.equals((byte[]) WIRE.get(made), (byte[]) WIRE.get(parsed))
            || (long) OFFSETS.get(made) != (long) OFFSETS.get(parsed)
            || (int) LABELS.get(made) != (int) LABELS.get(parsed)
            || !made.equals(parsed)
            || made.hashCode() != parsed.hashCode()
            || !made.toString().equals(parsed.toString())) {
          return "a name made directly differs from dnsjava's for " + sample;
        }
      }
      return null;
    } catch (TextParseException | RuntimeException e) {
      return e.toString();
    }
  }
}
