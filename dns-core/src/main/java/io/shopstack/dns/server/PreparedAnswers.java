package io.shopstack.dns.server;

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
   * One answer to keep: its wire form (the ID and letter case of whoever asked first, no cookie),
   * the metrics slot that counts it, resolved once, whether it was truncated, and whether it ends
   * with an OPT without options, to which a cookie can be appended. Kept, it becomes a {@link
   * KeptAnswer} with its key in front.
   */
  record Answer(byte[] wire, int answers, boolean truncated, boolean endsWithBareOpt) {}

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
    byte[] find(PlainQuery.Key key) {
      byte[] answer = young.answers.get(key);
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
   * The answer kept for {@code key} ({@link KeptAnswer}), which may be a scratch key: an answer
   * found in an older generation is moved to the young one with the key it was kept with.
   */
  byte[] find(PlainQuery.Key key) {
    byte[] answer = young.answers.get(key);
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
    if (answer.wire().length > MAX_ANSWER_BYTES) {
      return;
    }
    keepKept(KeptAnswer.of(key, answer));
  }

  private void keepKept(byte[] answer) {
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
