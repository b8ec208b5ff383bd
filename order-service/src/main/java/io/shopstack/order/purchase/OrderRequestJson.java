package io.shopstack.order.purchase;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;

/**
 * The contract's body read from Jackson's tokens, without data binding, for {@link OrderFastPath}:
 * {@code {"order": {"date": "...", "className": "...", "Author": "...", "price": "..."}}} with
 * exactly these four text members, once each, in any order, and nothing after it.
 *
 * <p>Why: reading the ~120-byte body through the mapper's ObjectReader was 11 % of an instance's
 * request threads in the order run's profile (JFR, 1 ms samples): a deserialization context per
 * call and the record built through a method handle's {@code invokeWithArguments}.
 *
 * <p>Anything else (another member, a duplicate, a number or null where text belongs, a missing
 * member, bad JSON) returns null and goes through the ObjectReader as before, so data binding's
 * rules (coercions, unknown members, its error messages) are never written twice.
 * OrderRequestJsonTests holds both to the same result.
 */
final class OrderRequestJson {

  private final TokenStreamFactory tokens;

  OrderRequestJson(TokenStreamFactory tokens) {
    this.tokens = tokens;
  }

  /** The request, or null when the ObjectReader must read it (see the class comment). */
  PurchaseOrderRequest read(byte[] body, int offset, int length) {
    try (JsonParser json = tokens.createParser(ObjectReadContext.empty(), body, offset, length)) {
      if (json.nextToken() != JsonToken.START_OBJECT
          || !"order".equals(json.nextName())
          || json.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String date = null;
      String className = null;
      String author = null;
      String price = null;
      for (String name; (name = json.nextName()) != null; ) {
        String value = json.nextStringValue();
        if (value == null) {
          return null;
        }
        switch (name) {
          case "date" -> {
            if (date != null) return null;
            date = value;
          }
          case "className" -> {
            if (className != null) return null;
            className = value;
          }
          case "Author" -> {
            if (author != null) return null;
            author = value;
          }
          case "price" -> {
            if (price != null) return null;
            price = value;
          }
          default -> {
            return null;
          }
        }
      }
      if (json.currentToken() != JsonToken.END_OBJECT
          || json.nextToken() != JsonToken.END_OBJECT
          || json.nextToken() != null
          || date == null
          || className == null
          || author == null
          || price == null) {
        return null;
      }
      return new PurchaseOrderRequest(new OrderForm(date, className, author, price));
    } catch (JacksonException unusual) {
      return null;
    }
  }
}
