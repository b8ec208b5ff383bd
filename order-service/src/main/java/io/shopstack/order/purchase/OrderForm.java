package io.shopstack.order.purchase;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.shopstack.order.system.Problem.InvalidField;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code "order"} object exactly as the public contract spells it (DESIGN.md): capital {@code
 * Author}, price as a string. Every field is kept as the client's text so that a bad value is
 * reported by its field name instead of as an unreadable body.
 */
record OrderForm(
    String date, String className, @JsonProperty("Author") String author, String price) {

  static final int MAX_CLASS_NAME = 200;
  static final int MAX_AUTHOR = 100;

  /** Non-negative, at most 10 integer digits and 2 decimals: what NUMERIC(12,2) holds. */
  private static final Pattern PRICE = Pattern.compile("\\d{1,10}(\\.\\d{1,2})?");

  /** The form as the client would send it for a stored order. */
  static OrderForm of(NewOrder order) {
    return new OrderForm(
        order.date().toString(), order.className(), order.author(), priceText(order.price()));
  }

  /** A price as the contract spells it: {@code "68"}, or {@code "68.50"} with cents. */
  static String priceText(BigDecimal price) {
    BigDecimal stripped = price.stripTrailingZeros();
    return stripped.scale() <= 0
        ? stripped.setScale(0).toPlainString()
        : price.setScale(2).toPlainString();
  }

  /** Checks every field and returns the order, or names every field that is wrong. */
  NewOrder validate() {
    List<InvalidField> wrong = new ArrayList<>();
    LocalDate orderDate = check(wrong, this::parseDate);
    String title = check(wrong, () -> required("className", className, MAX_CLASS_NAME));
    String writer = check(wrong, () -> required("Author", author, MAX_AUTHOR));
    BigDecimal amount = check(wrong, this::parsePrice);
    if (!wrong.isEmpty()) {
      throw new InvalidOrderException(wrong);
    }
    return new NewOrder(orderDate, title, writer, amount);
  }

  private static <T> T check(List<InvalidField> wrong, Supplier<T> field) {
    try {
      return field.get();
    } catch (InvalidOrderException e) {
      wrong.addAll(e.fields());
      return null;
    }
  }

  private LocalDate parseDate() {
    required("date", date, 10);
    try {
      return LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      throw new InvalidOrderException(
          "order.date", "must be a date as yyyy-MM-dd, was \"" + date + "\"");
    }
  }

  private BigDecimal parsePrice() {
    required("price", price, 13);
    if (!PRICE.matcher(price).matches()) {
      throw new InvalidOrderException(
          "order.price",
          "must be a non-negative decimal string with at most 2 decimals, e.g. \"68\", was \""
              + price
              + "\"");
    }
    return new BigDecimal(price);
  }

  private static String required(String field, String value, int maxLength) {
    if (value == null || value.isBlank()) {
      throw new InvalidOrderException("order." + field, "is required");
    }
    storable(field, value);
    // Characters, not UTF-16 units or bytes: 200 Chinese characters or emoji are 200.
    if (value.codePointCount(0, value.length()) > maxLength) {
      throw new InvalidOrderException(
          "order." + field, "is longer than " + maxLength + " characters");
    }
    return value;
  }

  /**
   * Refuses what a UTF-8 database cannot keep, instead of failing at the insert (PostgreSQL refuses
   * NUL in text) or storing something else than what is echoed back (a lone surrogate has no UTF-8
   * form and would be stored as {@code ?}).
   */
  private static void storable(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        throw new InvalidOrderException("order." + field, "contains a NUL character (U+0000)");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new InvalidOrderException(
            "order." + field,
            "contains a lone surrogate (U+" + HexFormat.of().withUpperCase().toHexDigits(c) + ")");
      }
    }
  }
}
