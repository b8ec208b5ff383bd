package io.shopstack.order.purchase;

/**
 * A purchase order field the client got wrong, named by its JSON path ({@code order.Author});
 * answered with 400 naming the field.
 */
class InvalidOrderException extends RuntimeException {

  private final String field;

  InvalidOrderException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
  }

  String field() {
    return field;
  }
}
