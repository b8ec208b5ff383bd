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
      table.put(answer(n).keptAs(key("h" + n + ".big.example")));
    }
    assertThat(table.size()).isEqualTo(count);
    for (int n = 0; n < count; n++) {
      PreparedAnswers.Answer found = table.get(key("h" + n + ".big.example"));
      assertThat(found).as("h%d", n).isNotNull();
      assertThat(found.wire()).isEqualTo(answer(n).wire());
      assertThat(found.answers()).isEqualTo(n % 7);
      assertThat(found.truncated()).isEqualTo(n % 2 == 0);
      assertThat(found.endsWithBareOpt()).isEqualTo(n % 3 == 0);
    }
    assertThat(table.get(key("h" + count + ".big.example"))).isNull();
  }

  @Test
  void aKeyThatIsAPrefixOfAnotherIsAnotherKey() {
    AnswerTable table = new AnswerTable();
    table.put(answer(1).keptAs(key("www")));
    assertThat(table.get(key("ww"))).isNull();
    assertThat(table.get(key("wwww"))).isNull();
    assertThat(table.get(key("www")).wire()).isEqualTo(answer(1).wire());
  }

  @Test
  void theSameQuestionKeptAgainReplacesItsAnswerWithoutGrowingTheTable() {
    AnswerTable table = new AnswerTable();
    table.put(answer(1).keptAs(key("www")));
    table.put(answer(2).keptAs(key("www")));
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.get(key("www")).wire()).isEqualTo(answer(2).wire());
  }
}
