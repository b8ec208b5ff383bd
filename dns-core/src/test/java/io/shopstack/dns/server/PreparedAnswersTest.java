package io.shopstack.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A flood of names asked once each (random-subdomain NXDOMAINs) must not grow the set. */
class PreparedAnswersTest {
  private static PlainQuery.Key key(int n) {
    return new PlainQuery.Key(ByteBuffer.allocate(4).putInt(n).array());
  }

  private PreparedAnswers.Answer answer() {
    return new PreparedAnswers.Answer(new byte[40], 0, false, false);
  }

  @Test
  void aFloodOfOneOffNamesStaysBoundedWhileAskedNamesStay() {
    PreparedAnswers prepared = new PreparedAnswers(new Object());
    prepared.keep(key(-1), answer());
    int flood = 3 * PreparedAnswers.GENERATION_ENTRIES;
    for (int n = 0; n < flood; n++) {
      prepared.keep(key(n), answer());
      if (n % 1000 == 0) {
        assertThat(prepared.find(key(-1))).as("a name asked all along").isNotNull();
      }
    }
    assertThat(prepared.size()).isLessThanOrEqualTo(2 * PreparedAnswers.GENERATION_ENTRIES);
    assertThat(prepared.find(key(0))).as("a name asked once, long ago").isNull();
    assertThat(prepared.find(key(flood - 1))).isNotNull();
  }

  @Test
  void answersTooBigToKeepAreEncodedEachTime() {
    PreparedAnswers prepared = new PreparedAnswers(new Object());
    prepared.keep(
        key(1),
        new PreparedAnswers.Answer(
            new byte[PreparedAnswers.MAX_ANSWER_BYTES + 1], 0, false, false));
    assertThat(prepared.find(key(1))).isNull();
  }
}
