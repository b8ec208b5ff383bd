package io.shopstack.dns.resolver.iteration;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * DNS 0x20: the letters of a query name in random case are extra bits of query ID an off-path
 * attacker has to guess, since a genuine server copies the question byte for byte. Responses that
 * do not echo the case exactly are treated like responses with the wrong ID. The random case is
 * then taken out of the names again, so clients and the cache see the case they asked with.
 */
final class Caps0x20 {
  private static final SecureRandom random = new SecureRandom();

  private Caps0x20() {}

  static Name randomize(Name name) {
    byte[] wire = wire(name);
    for (int at = 0; at < wire.length && wire[at] != 0; at += wire[at] + 1) {
      for (int i = at + 1; i <= at + wire[at]; i++) {
        if (Character.isLetter(wire[i]) && random.nextBoolean()) {
          wire[i] ^= 0x20;
        }
      }
    }
    try {
      return new Name(new DNSInput(wire));
    } catch (IOException e) {
      throw new IllegalStateException("cannot re-read a name we just wrote: " + name, e);
    }
  }

  /**
   * Whether two responses say the same: rcode, and the same answer and authority records (names
   * compared without case, order ignored), for the plain-case fallback.
   */
  static boolean sameAnswer(Message first, Message second) {
    return first.getRcode() == second.getRcode()
        && new java.util.HashSet<>(first.getSection(Section.ANSWER))
            .equals(new java.util.HashSet<>(second.getSection(Section.ANSWER)))
        && new java.util.HashSet<>(first.getSection(Section.AUTHORITY))
            .equals(new java.util.HashSet<>(second.getSection(Section.AUTHORITY)));
  }

  /** Whether the response's question is {@code sent}, letter case included. */
  static boolean echoed(Message response, Name sent) {
    Record question = response.getQuestion();
    return question != null && Arrays.equals(wire(question.getName()), wire(sent));
  }

  /**
   * The response with the random case of {@code sent} turned back into the case of {@code original}
   * wherever it was copied: owner names and CNAME targets (which share the question's labels
   * through compression).
   */
  static Message restore(Message response, Name sent, Name original) {
    Message restored = response.clone();
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      restored.removeAllRecords(section);
      for (Record record : response.getSection(section)) {
        restored.addRecord(restore(record, sent, original), section);
      }
    }
    return restored;
  }

  private static Record restore(Record record, Name sent, Name original) {
    Record renamed = record.withName(restore(record.getName(), sent, original));
    if (renamed instanceof CNAMERecord cname) {
      Name target = restore(cname.getTarget(), sent, original);
      return new CNAMERecord(cname.getName(), cname.getDClass(), cname.getTTL(), target);
    }
    return renamed;
  }

  /** {@code name} with its longest suffix shared with {@code sent} spelt as in {@code original}. */
  static Name restore(Name name, Name sent, Name original) {
    for (int k = Math.min(name.labels(), sent.labels()); k > 1; k--) {
      Name suffix = new Name(name, name.labels() - k);
      if (suffix.equals(new Name(sent, sent.labels() - k))) {
        Name spelt = new Name(original, original.labels() - k);
        if (k == name.labels()) {
          return spelt;
        }
        try {
          return Name.concatenate(name.relativize(suffix), spelt);
        } catch (org.xbill.DNS.NameTooLongException e) {
          return name; // cannot happen: same length as the name we had
        }
      }
    }
    return name;
  }

  private static byte[] wire(Name name) {
    DNSOutput out = new DNSOutput();
    name.toWire(out, null);
    return out.toByteArray();
  }
}
