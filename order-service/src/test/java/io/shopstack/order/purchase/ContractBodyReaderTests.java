package io.shopstack.order.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The token reader of the contract's body against the data binding it stands in for: every body of
 * the contract's shape gives the same request, and every other body is left to the data binding
 * (null), whatever it makes of it.
 */
class ContractBodyReaderTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ObjectReader BINDING = JSON.readerFor(PurchaseOrderRequest.class);
  private static final ContractBodyReader READER = new ContractBodyReader(JSON);

  @Test
  void theContractsShapeReadsAsTheDataBindingReadsIt() {
    List<String> bodies =
        List.of(
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\", \"Author\":"
                + " \"刘超\", \"price\": \"68\"}}",
            "{\"order\":{\"date\":\"2018-07-01\",\"className\":\"趣谈网络协议\",\"Author\":\"刘超\","
                + "\"price\":\"68\"}}",
            "{\"order\": {\"price\": \"68.50\", \"Author\": \"刘超\", \"date\": \"2018-07-01\","
                + " \"className\": \"趣谈网络协议\"}}",
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"\\u8da3\\u8c08 \\\"q\\\" \\\\"
                + " \\/ \\n\", \"Author\": \"\\uD83D\\uDE00\", \"price\": \"68\"}}",
            "\n {\n\t\"order\" : {\"date\":\"\",\"className\":\"\",\"Author\":\" \",\"price\":\"-1\"}"
                + " }\n ",
            "{\"order\": {\"date\": \"x\", \"className\": \""
                + "\uD83D\uDE00".repeat(300)
                + "\", \"Author\": \"刘\\u0000超\", \"price\": \"\\uD800\"}}");
    for (String body : bodies) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      PurchaseOrderRequest read = READER.read(bytes, 0, bytes.length);
      assertThat(read).as(body).isNotNull().isEqualTo(BINDING.readValue(bytes));
    }
  }

  @Test
  void everyOtherBodyIsLeftToTheDataBinding() {
    List<String> bodies =
        List.of(
            "",
            "null",
            "[]",
            "{}",
            "{\"order\": null}",
            "{\"order\": {}}",
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"c\", \"Author\": \"a\"}}",
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"c\", \"Author\": \"a\","
                + " \"price\": 68}}",
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"c\", \"Author\": null,"
                + " \"price\": \"68\"}}",
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"c\", \"author\": \"a\","
                + " \"price\": \"68\"}}",
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"c\", \"Author\": \"a\","
                + " \"price\": \"68\", \"note\": \"x\"}}",
            "{\"order\": {\"date\": \"2018-07-01\", \"date\": \"2018-07-02\", \"className\": \"c\","
                + " \"Author\": \"a\", \"price\": \"68\"}}",
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"c\", \"Author\": \"a\","
                + " \"price\": \"68\"}, \"coupon\": \"x\"}",
            "{\"coupon\": \"x\", \"order\": {\"date\": \"2018-07-01\", \"className\": \"c\","
                + " \"Author\": \"a\", \"price\": \"68\"}}",
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"c\", \"Author\": \"a\","
                + " \"price\": \"68\"}} {}",
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"c\", \"Author\": \"a\","
                + " \"price\": \"68\"",
            "{\"order\": {\"date\": \"2018-07-01\", \"className\": [\"c\"], \"Author\": \"a\","
                + " \"price\": \"68\"}}",
            "{\"order\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}");
    for (String body : bodies) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertThat(READER.read(bytes, 0, bytes.length)).as(body).isNull();
    }
  }

  @Test
  void readsTheBodyWhereItLiesInTheArray() {
    byte[] framed =
        ("xx{\"order\": {\"date\": \"2018-07-01\", \"className\": \"c\", \"Author\": \"a\","
                + " \"price\": \"68\"}}yy")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(READER.read(framed, 2, framed.length - 4))
        .isEqualTo(new PurchaseOrderRequest(new OrderForm("2018-07-01", "c", "a", "68")));
  }
}
