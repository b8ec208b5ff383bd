package io.shopstack.order.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.shopstack.order.ShopHttpTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link OrderRequestJson} against the slow path it replaces: Spring's own mapper, as the running
 * application configured it, reading the same bodies into the same request.
 */
class OrderRequestJsonTests extends ShopHttpTest {

  /** Member values as JSON text: plain, CJK, escapes of every kind, a surrogate pair. */
  private static final String[] VALUES = {
    "\"68\"",
    "\"2018-07-01\"",
    "\"趣谈网络协议\"",
    "\"刘超\"",
    "\"\"",
    "\" \"",
    "\"a\\\"b\\\\c\\/d\"",
    "\"\\u0000\"",
    "\"\\n\\t\\r\\b\\f\"",
    "\"\\ud83d\\ude00 😀\"",
    "\"\\u4f60\""
  };

  private static final String[] NAMES = {"date", "className", "Author", "price"};

  @Autowired JsonMapper json;

  @Test
  void readsWhatSpringsMapperReadsForTheContractsShape() {
    ObjectReader jackson = json.readerFor(PurchaseOrderRequest.class);
    OrderRequestJson ours = new OrderRequestJson(json.tokenStreamFactory());
    Random random = new Random(7);
    for (int i = 0; i < 3_000; i++) {
      List<String> members = new ArrayList<>();
      for (String name : NAMES) {
        members.add("\"" + name + "\" : " + VALUES[random.nextInt(VALUES.length)]);
      }
      Collections.shuffle(members, random);
      String body =
          (random.nextBoolean() ? " " : "")
              + "{\"order\":{"
              + String.join(random.nextBoolean() ? "," : ",\n ", members)
              + "}}"
              + (random.nextBoolean() ? "\n" : "");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      PurchaseOrderRequest read = ours.read(bytes, 0, bytes.length);
      assertThat(read).as(body).isNotNull().isEqualTo(jackson.readValue(bytes));
    }
    byte[] design = DESIGN_ORDER.getBytes(StandardCharsets.UTF_8);
    byte[] framed = new byte[design.length + 6];
    System.arraycopy(design, 0, framed, 3, design.length);
    assertThat(ours.read(framed, 3, design.length)).isEqualTo(jackson.readValue(design));
  }

  @Test
  void anythingElseIsLeftToDataBinding() {
    OrderRequestJson ours = new OrderRequestJson(json.tokenStreamFactory());
    String order = "\"date\": \"2018-07-01\", \"className\": \"c\", \"Author\": \"a\"";
    for (String body :
        new String[] {
          "{\"order\": {" + order + "}}",
          "{\"order\": {" + order + ", \"price\": 68}}",
          "{\"order\": {" + order + ", \"price\": null}}",
          "{\"order\": {" + order + ", \"price\": \"68\", \"price\": \"69\"}}",
          "{\"order\": {" + order + ", \"price\": \"68\", \"author\": \"b\"}}",
          "{\"order\": {" + order + ", \"price\": \"68\"}, \"more\": 1}",
          "{\"order\": {" + order + ", \"price\": \"68\"}} {}",
          "{\"order\": {" + order + ", \"price\": \"68\"}} x",
          "{\"order\": {" + order + ", \"price\": [\"68\"]}}",
          "{\"order\": {" + order + ", \"price\": \"68\"}",
          "{\"order\": null}",
          "{\"order\": []}",
          "{\"Order\": {" + order + ", \"price\": \"68\"}}",
          "[]",
          "",
          "{'order': {}}",
          "{\"order\": {" + order + ", \"price\": \"6\u00ff8\"}}".replace('\u00ff', '?') + "\u0000"
        }) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertThatCode(() -> assertThat(ours.read(bytes, 0, bytes.length)).as(body).isNull())
          .doesNotThrowAnyException();
    }
    byte[] badUtf8 = "{\"order\": {\"date\": \"\"}}".getBytes(StandardCharsets.UTF_8);
    badUtf8[20] = (byte) 0xff;
    assertThat(ours.read(badUtf8, 0, badUtf8.length)).isNull();
  }
}
