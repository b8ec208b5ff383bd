package io.shopstack.order.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.order.ShopHttpTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link OrderAnswerJson} against the slow path it replaces: Spring's own mapper, as the running
 * application configured it, writing the same answers, byte for byte.
 */
class OrderAnswerJsonTests extends ShopHttpTest {

  /** Text of every kind: plain, CJK, and every kind of character Jackson escapes or pairs. */
  private static final String[] PIECES = {
    "a", "Z", "0", " ", "-", ".", "趣谈网络协议", "刘超", "é", "\u00a0", "\uffff", "😀", "\"", "\\", "/",
    "\n", "\t", "\u0001", "\u001f", "\u007f", "\u2028", "\u2029", "<", "&", "'"
  };

  @Autowired JsonMapper json;

  @Test
  void writesWhatSpringsMapperWritesByteForByte() {
    ObjectWriter jackson = json.writerFor(PurchaseOrderResponse.class);
    Random random = new Random(12);
    int fast = 0;
    int passedOn = 0;
    for (int i = 0; i < 5_000; i++) {
      PurchaseOrderResponse answer =
          new PurchaseOrderResponse(
              i % 7 == 0 ? Long.MAX_VALUE - i : random.nextInt(1_000_000),
              new OrderForm(
                  "2018-07-" + (1 + random.nextInt(28)),
                  text(random),
                  text(random),
                  random.nextBoolean() ? "68" : random.nextInt(10_000) + ".5" + random.nextInt(10)),
              i % 11 == 0 ? null : "order-" + random.nextInt(3),
              i % 13 == 0 ? null : "127.0." + random.nextInt(256) + "." + random.nextInt(256),
              instant(random, i));
      byte[] ours = OrderAnswerJson.write(answer);
      if (ours == null) {
        passedOn++;
        continue;
      }
      fast++;
      assertThat(new String(ours, StandardCharsets.UTF_8))
          .isEqualTo(new String(jackson.writeValueAsBytes(answer), StandardCharsets.UTF_8));
      assertThat(ours).isEqualTo(jackson.writeValueAsBytes(answer));
    }
    // both ways taken: the fast writer for ordinary text, Jackson for anything it escapes
    assertThat(fast).isGreaterThan(1_000);
    assertThat(passedOn).isGreaterThan(1_000);
  }

  @Test
  void theJourneysOrderIsWrittenByTheFastWriter() {
    PurchaseOrderResponse answer =
        new PurchaseOrderResponse(
            42,
            new OrderForm("2018-07-01", "趣谈网络协议", "刘超", "68"),
            "order-1",
            "127.28.1.10",
            Instant.parse("2026-11-30T15:40:00.120Z"));
    assertThat(OrderAnswerJson.write(answer))
        .isEqualTo(json.writerFor(PurchaseOrderResponse.class).writeValueAsBytes(answer));
  }

  @Test
  void textJacksonWouldEscapeIsLeftToJackson() {
    for (String escaped : new String[] {"a\"b", "a\\b", "a/b", "a\nb", "😀", "\u2028", "\u007f"}) {
      PurchaseOrderResponse answer =
          new PurchaseOrderResponse(
              1, new OrderForm("2018-07-01", escaped, "刘超", "68"), "order-1", "127.0.0.1", null);
      assertThat(OrderAnswerJson.write(answer)).as(escaped).isNull();
    }
  }

  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    // mostly plain text, sometimes one piece Jackson escapes
    boolean plainOnly = random.nextInt(3) > 0;
    for (int n = 1 + random.nextInt(6); n > 0; n--) {
      text.append(PIECES[random.nextInt(plainOnly ? 11 : PIECES.length)]);
    }
    return text.toString();
  }

  /** Whole seconds, milliseconds, microseconds and nanoseconds; before 1970 and far ahead. */
  private static Instant instant(Random random, int i) {
    if (i % 17 == 0) {
      return null;
    }
    long seconds = random.nextLong(-2_000_000_000L, 250_000_000_000L);
    int nanos =
        switch (i % 4) {
          case 0 -> 0;
          case 1 -> random.nextInt(1000) * 1_000_000;
          case 2 -> random.nextInt(1_000_000) * 1000;
          default -> random.nextInt(1_000_000_000);
        };
    return Instant.ofEpochSecond(seconds, nanos);
  }
}
