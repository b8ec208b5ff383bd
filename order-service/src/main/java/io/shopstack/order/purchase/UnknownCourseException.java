package io.shopstack.order.purchase;

/**
 * An order for a course the catalog does not have, or with another author than the catalog's: a
 * well-formed request the shop cannot fulfil, answered with 422 naming the field, placing nothing.
 */
class UnknownCourseException extends RuntimeException {

  private final String field;

  UnknownCourseException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
  }

  String field() {
    return field;
  }

  String problem() {
    return getMessage().substring(field.length() + 1);
  }
}
