package io.shopstack.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The prepared answers' table: found by the key's bytes, never a neighbour's answer. */
class AnswerTableTest {
  private static PlainQuery.Key key(int n) {
    return new PlainQuery.Key(ByteBuffer.allocate(4).putInt(n).array());
  }

  /** The answer for key n carries n, so a wrong match shows. */
  private static PreparedAnswers.Answer answer(int n) {
    return new PreparedAnswers.Answer(new byte[12], n, false, false);
  }

  @Test
  void keysWithTheSameHashAreToldApartByTheirBytes() {
    // "Aa" and "BB" have the same polynomial hash (31 * 'A' + 'a' == 31 * 'B' + 'B').
    PlainQuery.Key aa = new PlainQuery.Key(new byte[] {'A', 'a'});
    PlainQuery.Key bb = new PlainQuery.Key(new byte[] {'B', 'B'});
    assertThat(aa.hashCode()).isEqualTo(bb.hashCode());
    AnswerTable table = new AnswerTable(16);
    table.put(aa, answer(1), 14);
    assertThat(table.get(bb)).as("same hash, other bytes").isNull();
    table.put(bb, answer(2), 14);
    assertThat(table.get(aa).answers()).isEqualTo(1);
    assertThat(table.get(bb).answers()).isEqualTo(2);
    assertThat(table.get(new PlainQuery.Key(new byte[] {'B', 'B', 0}))).isNull();
  }

  @Test
  void growsUntilItsLimitThenTakesNoMore() {
    AnswerTable table = new AnswerTable(10_000);
    for (int n = 0; n < 12_000; n++) {
      table.put(key(n), answer(n), 16);
    }
    assertThat(table.size()).isEqualTo(10_000);
    assertThat(table.full(Long.MAX_VALUE)).isTrue();
    for (int n = 0; n < 10_000; n++) {
      assertThat(table.get(key(n)))
          .isNotNull()
          .extracting(PreparedAnswers.Answer::answers)
          .isEqualTo(n);
    }
    assertThat(table.get(key(10_000))).isNull();
  }

  @Test
  void aKeyKeptTwiceKeepsItsFirstAnswerAndCountsOnce() {
    AnswerTable table = new AnswerTable(16);
    table.put(key(7), answer(1), 100);
    table.put(key(7), answer(2), 100);
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.get(key(7)).answers()).isEqualTo(1);
    assertThat(table.full(200)).as("charged once").isFalse();
    assertThat(table.full(100)).isTrue();
  }

  @Test
  void aReaderWhileTheTableGrowsFindsNothingButTheRightAnswer() throws Exception {
    AnswerTable table = new AnswerTable(200_000);
    int kept = 100_000;
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger wrong = new AtomicInteger();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              PlainQuery.Key[] keys = new PlainQuery.Key[kept];
              for (int n = 0; n < kept; n++) {
                keys[n] = key(n);
              }
              while (writing.get()) {
                for (int n = 0; n < kept; n += 7) {
                  PreparedAnswers.Answer answer = table.get(keys[n]);
                  if (answer != null) {
                    if (answer.answers() != n) {
                      wrong.incrementAndGet();
                    }
                  }
                }
              }
            });
    for (int n = 0; n < kept; n++) {
      table.put(key(n), answer(n), 16);
    }
    writing.set(false);
    reader.get();
    assertThat(wrong.get()).isZero();
    for (int n = 0; n < kept; n++) {
      assertThat(table.get(key(n)).answers()).isEqualTo(n);
    }
  }
}
