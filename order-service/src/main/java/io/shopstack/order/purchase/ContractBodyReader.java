package io.shopstack.order.purchase;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the contract's body as phones send it, {@code {"order": {"date": "...", "className": "...",
 * "Author": "...", "price": "..."}}}, straight from the JSON tokens, for {@link OrderFastPath}.
 *
 * <p>Why: Jackson's data binding builds each record through {@code
 * MethodHandle.invokeWithArguments}, which makes a new spreading handle on every call, twice per
 * order (JFR of the order run: the largest allocation site in Jackson, README "Speed").
 *
 * <p>Only that exact shape is read here: the one {@code order} object holding the four fields, each
 * once and each a string, and nothing else before or after. Anything else (another or a repeated
 * field, a number or null, a missing field, malformed JSON) is answered null and the caller reads
 * the body with the data binding as before, whose result or refusal stands: so no answer can differ
 * from it. The mapper's parser is used, with its limits (nesting, lengths).
 */
final class ContractBodyReader {

  private final JsonMapper json;

  ContractBodyReader(JsonMapper json) {
    this.json = json;
  }

  /** The body as the contract's request, or null when it is not exactly the contract's shape. */
  PurchaseOrderRequest read(byte[] body, int offset, int length) {
    try (JsonParser parser = json.createParser(body, offset, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT
          || !"order".equals(parser.nextName())
          || parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String[] fields = new String[FIELDS.length];
      for (String name; (name = parser.nextName()) != null; ) {
        int slot = slot(name);
        String value = parser.nextStringValue();
        if (slot < 0 || value == null || fields[slot] != null) {
          return null;
        }
        fields[slot] = value;
      }
      for (String field : fields) {
        if (field == null) {
          return null;
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT
          || parser.nextToken() != JsonToken.END_OBJECT
          || parser.nextToken() != null) {
        return null;
      }
      return new PurchaseOrderRequest(new OrderForm(fields[0], fields[1], fields[2], fields[3]));
    } catch (JacksonException notTheShape) {
      return null;
    }
  }

  /** The order's fields as the contract spells them, in OrderForm's order. */
  private static final String[] FIELDS = {"date", "className", "Author", "price"};

  private static int slot(String name) {
    for (int i = 0; i < FIELDS.length; i++) {
      if (FIELDS[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
