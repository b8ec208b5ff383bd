package io.shopstack.dns.resolver.iteration;

import io.netty.util.concurrent.FastThreadLocal;
import java.security.SecureRandom;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The IDs of our upstream queries: 16 unpredictable bits each (RFC 5452 section 4), drawn from the
 * system's CSPRNG in batches per thread. dnsjava's {@link Message#newQuery} draws each ID from one
 * shared {@code SecureRandom} (NativePRNG: a lock, a SHA-1 mix and a read of the kernel's pool per
 * call, about half a microsecond on the cold path of every query); a batch of 128 IDs costs one
 * such draw. This is what unbound does with arc4random (a keystream drawn ahead); the IDs are as
 * unpredictable as before, only taken from the generator fewer times.
 */
final class QueryIds {
  /** Bytes per draw: 128 IDs. */
  private static final int BATCH = 256;

  private static final SecureRandom GENERATOR = new SecureRandom();

  private static final FastThreadLocal<QueryIds> PER_THREAD =
      new FastThreadLocal<>() {
        @Override
        protected QueryIds initialValue() {
          return new QueryIds();
        }
      };

  private final byte[] drawn = new byte[BATCH];
  private int next = BATCH;

  private QueryIds() {}

  /** A random ID, 0 to 65535. */
  static int next() {
    return PER_THREAD.get().take();
  }

  /**
   * An iterative query for {@code question} with a random ID: what {@link Message#newQuery} makes,
   * without RD (we do the recursion ourselves).
   */
  static Message newQuery(Record question) {
    Message query = new Message(next());
    query.addRecord(question, Section.QUESTION);
    return query;
  }

  private int take() {
    if (next == drawn.length) {
      GENERATOR.nextBytes(drawn);
      next = 0;
    }
    int id = (drawn[next] & 0xff) << 8 | (drawn[next + 1] & 0xff);
    // A used ID is on the wire now; what stays in memory is only the ones still to come.
    drawn[next] = 0;
    drawn[next + 1] = 0;
    next += 2;
    return id;
  }
}
