package io.shopstack.dns.server;

import java.util.Arrays;
import org.xbill.DNS.Name;

/**
 * Answers to plain queries kept as the bytes the full path encoded, for one snapshot of the data a
 * handler answers from (the zones of one load or reload). A new snapshot starts with an empty set,
 * so a reload can never serve a stale answer.
 *
 * <p>Bounded in entries and bytes, so a flood of random names (each earning its own NXDOMAIN)
 * cannot grow it: answers go into a young generation; when that is full it becomes the old one and
 * the previous old one is dropped. An answer found only in the old generation is moved back to the
 * young one, so what is asked keeps its place while one-off names age out (a cheap LRU).
 */
final class PreparedAnswers {
  /** Entries per generation: two of them hold the answers of a busy zone's working set. */
  static final int GENERATION_ENTRIES = 65_536;

  /** Bytes of answers per generation. */
  static final long GENERATION_BYTES = 16L << 20;

  /** Bigger answers (large RRsets over TCP) are rare and encoded each time. */
  static final int MAX_ANSWER_BYTES = 4096;

  /**
   * One prepared answer: its wire form (the ID and letter case of whoever asked first, no cookie),
   * the metrics slot that counts it, resolved once, and whether it ends with an OPT without
   * options, to which a cookie can be appended. A kept answer ({@link #keptAs}) carries its key in
   * front of the wire form, in the same array, so the lookup that finds it has the answer's bytes
   * at hand ({@link AnswerTable}).
   */
  static final class Answer {
    private final byte[] bytes;
    private final int wireAt;
    private final int hash;
    private final int answers;
    private final boolean truncated;
    private final boolean endsWithBareOpt;

    /** An answer not kept yet: {@code wire} alone, no key. */
    Answer(byte[] wire, int answers, boolean truncated, boolean endsWithBareOpt) {
      this(wire, 0, 0, answers, truncated, endsWithBareOpt);
    }

    private Answer(
        byte[] bytes,
        int wireAt,
        int hash,
        int answers,
        boolean truncated,
        boolean endsWithBareOpt) {
      this.bytes = bytes;
      this.wireAt = wireAt;
      this.hash = hash;
      this.answers = answers;
      this.truncated = truncated;
      this.endsWithBareOpt = endsWithBareOpt;
    }

    /** This answer with {@code key}'s bytes in front of its wire form, for a table to keep. */
    Answer keptAs(PlainQuery.Key key) {
      int keyBytes = key.size();
      byte[] both = new byte[keyBytes + wireLength()];
      key.copyTo(both);
      System.arraycopy(bytes, wireAt, both, keyBytes, wireLength());
      return new Answer(both, keyBytes, key.hashCode(), answers, truncated, endsWithBareOpt);
    }

    /** The key (if kept) and the wire form; the wire form starts at {@link #wireAt}. */
    byte[] bytes() {
      return bytes;
    }

    int wireAt() {
      return wireAt;
    }

    int wireLength() {
      return bytes.length - wireAt;
    }

    /** The key's hash, for a kept answer. */
    int hash() {
      return hash;
    }

    /** The metrics slot that counts this answer. */
    int answers() {
      return answers;
    }

    boolean truncated() {
      return truncated;
    }

    boolean endsWithBareOpt() {
      return endsWithBareOpt;
    }

    /** The wire form alone (for tests). */
    byte[] wire() {
      return Arrays.copyOfRange(bytes, wireAt, bytes.length);
    }
  }

  private static final class Generation {
    final AnswerTable answers = new AnswerTable();

    boolean full() {
      return answers.size() >= GENERATION_ENTRIES || answers.bytes() >= GENERATION_BYTES;
    }
  }

  /**
   * The answers of the snapshot before this one that may still hold: each is checked once, when
   * first asked again, and moved over if it does. Dropped when the young generation first fills.
   * Holds the old answers' bytes only, never the old snapshot.
   */
  private record Inherited(Generation young, Generation old, UnchangedAnswers unchanged) {
    Answer find(PlainQuery.Key key) {
      Answer answer = young.answers.get(key);
      if (answer == null) {
        answer = old.answers.get(key);
      }
      if (answer == null) {
        return null;
      }
      Name qname = key.name();
      return qname != null && unchanged.holds(qname, key.qtype()) ? answer : null;
    }
  }

  private final Object snapshot;
  private volatile Generation young = new Generation();
  private volatile Generation old = new Generation();
  private volatile Inherited inherited;

  PreparedAnswers(Object snapshot) {
    this.snapshot = snapshot;
  }

  /** The snapshot these answers were computed from (compared by identity). */
  Object snapshot() {
    return snapshot;
  }

  /**
   * The answer kept for {@code key}, which may be a scratch key: an answer found in an older
   * generation is moved to the young one with the key it was kept with.
   */
  Answer find(PlainQuery.Key key) {
    Answer answer = young.answers.get(key);
    if (answer == null) {
      answer = old.answers.get(key);
      if (answer == null) {
        Inherited before = inherited;
        answer = before == null ? null : before.find(key);
      }
      if (answer != null) {
        keepKept(answer);
      }
    }
    return answer;
  }

  /**
   * Lets this set take over the answers of {@code previous} (the set of the snapshot before) that
   * {@code unchanged} says still hold, as they are asked for.
   */
  void inherit(PreparedAnswers previous, UnchangedAnswers unchanged) {
    inherited = new Inherited(previous.young, previous.old, unchanged);
  }

  /** Keeps {@code answer} under {@code key} (a copy of the key's bytes is kept). */
  void keep(PlainQuery.Key key, Answer answer) {
    if (answer.wireLength() > MAX_ANSWER_BYTES) {
      return;
    }
    keepKept(answer.keptAs(key));
  }

  private void keepKept(Answer answer) {
    Generation generation = young;
    generation.answers.put(answer);
    if (generation.full()) {
      synchronized (this) {
        if (young == generation) {
          old = generation;
          young = new Generation();
          inherited = null; // what was not asked for in a whole generation is not worth keeping
        }
      }
    }
  }

  /** Entries held now, both generations (for tests). */
  int size() {
    return young.answers.size() + old.answers.size();
  }
}
