package io.shopstack.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A flood of names asked once each (random-subdomain NXDOMAINs) must not grow the set; a new
 * snapshot takes over only what still holds.
 */
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

  /** A key as PlainQuery makes it: the name on the wire, type, EDNS bits and size limit. */
  private static PlainQuery.Key question(String name, int type) throws Exception {
    byte[] wire = Name.fromString(name).toWire();
    ByteBuffer key = ByteBuffer.allocate(wire.length + 5);
    key.put(wire).putShort((short) type).put((byte) 1).putShort((short) 1232);
    return new PlainQuery.Key(key.array());
  }

  @Test
  void aNewSnapshotTakesOverOnlyTheAnswersTheHandlerSaysStillHold() throws Exception {
    PreparedAnswers before = new PreparedAnswers(new Object());
    before.keep(question("www.kept.example.", Type.A), answer());
    before.keep(question("www.changed.example.", Type.A), answer());
    List<String> asked = new ArrayList<>();
    PreparedAnswers after = new PreparedAnswers(new Object());
    after.inherit(
        before,
        (qname, qtype) -> {
          asked.add(qname + "/" + Type.string(qtype));
          return qname.subdomain(Name.fromConstantString("kept.example."));
        });

    assertThat(after.find(question("www.kept.example.", Type.A))).isNotNull();
    assertThat(after.find(question("www.kept.example.", Type.A))).as("moved over").isNotNull();
    assertThat(after.find(question("www.changed.example.", Type.A))).isNull();
    assertThat(after.find(question("www.kept.example.", Type.AAAA))).as("never kept").isNull();
    assertThat(asked)
        .as("each question judged once, by its name and type")
        .containsExactly("www.kept.example./A", "www.changed.example./A");
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
