package io.shopstack.order.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderFormTests {

  @Test
  void theDesignOrderIsValid() {
    NewOrder order = new OrderForm("2018-07-01", "趣谈网络协议", "刘超", "68").validate();

    assertThat(order.date()).isEqualTo(LocalDate.of(2018, 7, 1));
    assertThat(order.className()).isEqualTo("趣谈网络协议");
    assertThat(order.author()).isEqualTo("刘超");
    assertThat(order.price()).isEqualByComparingTo("68");
  }

  @ParameterizedTest(name = "{0}/{1}/{2}/{3} -> {4}")
  @CsvSource(
      nullValues = "NULL",
      value = {
        "NULL,       趣谈网络协议, 刘超, 68,     order.date",
        "2018-02-30, 趣谈网络协议, 刘超, 68,     order.date",
        "07/01/2018, 趣谈网络协议, 刘超, 68,     order.date",
        "2018-07-01, '  ',    刘超, 68,     order.className",
        "2018-07-01, 趣谈网络协议, NULL, 68,    order.Author",
        "2018-07-01, 趣谈网络协议, 刘超, -1,     order.price",
        "2018-07-01, 趣谈网络协议, 刘超, 68.999, order.price",
        "2018-07-01, 趣谈网络协议, 刘超, 6.8e1,  order.price",
        "2018-07-01, 趣谈网络协议, 刘超, NULL,   order.price",
      })
  void aWrongFieldIsNamed(
      String date, String className, String author, String price, String field) {
    OrderForm form = new OrderForm(date, className, author, price);

    assertThatThrownBy(form::validate)
        .isInstanceOfSatisfying(
            InvalidOrderException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageStartingWith(field + " ");
  }

  @Test
  void tooLongATitleIsRefusedBeforeTheDatabaseWould() {
    OrderForm form = new OrderForm("2018-07-01", "x".repeat(201), "刘超", "68");

    assertThatThrownBy(form::validate).hasMessage("order.className is longer than 200 characters");
  }

  @Test
  void lengthsCountCharactersNotUtf16UnitsOrBytes() {
    String twoHundredEmoji = "\uD83D\uDE00".repeat(200);
    String author = "刘".repeat(100);

    NewOrder order = new OrderForm("2018-07-01", twoHundredEmoji, author, "68").validate();

    assertThat(order.className()).isEqualTo(twoHundredEmoji);
    assertThatThrownBy(
            () -> new OrderForm("2018-07-01", twoHundredEmoji + "x", author, "68").validate())
        .hasMessage("order.className is longer than 200 characters");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'a\u0000b',      contains a NUL character (U+0000)",
    "'a\uD800b',      contains a lone surrogate (U+D800)",
    "'\uDE00a',       contains a lone surrogate (U+DE00)",
    "'a\uD83D',       contains a lone surrogate (U+D83D)",
  })
  void charactersTheDatabaseCannotKeepAreRefusedNamingTheField(String author, String problem) {
    OrderForm form = new OrderForm("2018-07-01", "趣谈网络协议", author, "68");

    assertThatThrownBy(form::validate).hasMessage("order.Author " + problem);
  }

  @ParameterizedTest
  @CsvSource({"68.00, 68", "68, 68", "68.50, 68.50", "0.5, 0.50"})
  void storedPricesAreShownAsTheClientWritesThem(BigDecimal stored, String shown) {
    NewOrder order = new NewOrder(LocalDate.of(2018, 7, 1), "c", "a", stored);

    assertThat(OrderForm.of(order).price()).isEqualTo(shown);
  }
}
