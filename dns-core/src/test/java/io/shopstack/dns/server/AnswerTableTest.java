package io.shopstack.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The table behind prepared answers: every key finds its own bytes, through every growth. */
class AnswerTableTest {
  private static PlainQuery.Key key(String text) {
    return new PlainQuery.Key(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static PreparedAnswers.Answer answer(int n) {
    byte[] wire = ByteBuffer.allocate(16).putInt(n).putInt(~n).array();
    return new PreparedAnswers.Answer(wire, n % 7, n % 2 == 0, n % 3 == 0);
  }

  @Test
  void everyKeptAnswerIsFoundUnderItsKeyWithItsBytesAfterManyGrowths() {
    AnswerTable table = new AnswerTable();
    int count = 100_000;
    for (int n = 0; n < count; n++) {
      table.put(KeptAnswer.of(key("h" + n + ".big.example"), answer(n)));
    }
    assertThat(table.size()).isEqualTo(count);
    for (int n = 0; n < count; n++) {
      byte[] found = table.get(key("h" + n + ".big.example"));
      assertThat(found).as("h%d", n).isNotNull();
      assertThat(KeptAnswer.wire(found)).isEqualTo(answer(n).wire());
      assertThat(KeptAnswer.answers(found)).isEqualTo(n % 7);
      assertThat(KeptAnswer.truncated(found)).isEqualTo(n % 2 == 0);
      assertThat(KeptAnswer.endsWithBareOpt(found)).isEqualTo(n % 3 == 0);
    }
    assertThat(table.get(key("h" + count + ".big.example"))).isNull();
  }

  @Test
  void aKeyThatIsAPrefixOfAnotherIsAnotherKey() {
    AnswerTable table = new AnswerTable();
    table.put(KeptAnswer.of(key("www"), answer(1)));
    assertThat(table.get(key("ww"))).isNull();
    assertThat(table.get(key("wwww"))).isNull();
    assertThat(KeptAnswer.wire(table.get(key("www")))).isEqualTo(answer(1).wire());
  }

  @Test
  void theSameQuestionKeptAgainReplacesItsAnswerWithoutGrowingTheTable() {
    AnswerTable table = new AnswerTable();
    table.put(KeptAnswer.of(key("www"), answer(1)));
    table.put(KeptAnswer.of(key("www"), answer(2)));
    assertThat(table.size()).isEqualTo(1);
    assertThat(KeptAnswer.wire(table.get(key("www")))).isEqualTo(answer(2).wire());
  }

  @Test
  void aKeyLongerThan255BytesKeepsItsLengthAndItsAnswer() {
    AnswerTable table = new AnswerTable();
    String longName = "x".repeat(300);
    table.put(KeptAnswer.of(key(longName), answer(7)));
    assertThat(KeptAnswer.wire(table.get(key(longName)))).isEqualTo(answer(7).wire());
    assertThat(table.get(key(longName.substring(44)))).isNull();
  }
}
