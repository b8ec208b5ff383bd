package io.shopstack.order.purchase;

import io.shopstack.order.system.Problem.InvalidField;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Purchase order fields the client got wrong, each named by its JSON path ({@code order.Author}) or
 * header; answered with 400 listing every one, so one round trip shows all there is to fix.
 */
class InvalidOrderException extends RuntimeException {

  private final List<InvalidField> fields;

  InvalidOrderException(String field, String problem) {
    this(List.of(new InvalidField(field, problem)));
  }

  InvalidOrderException(List<InvalidField> fields) {
    super(
        fields.stream()
            .map(bad -> bad.field() + " " + bad.detail())
            .collect(Collectors.joining("; ")));
    this.fields = List.copyOf(fields);
  }

  /** The first field to blame. */
  String field() {
    return fields.get(0).field();
  }

  List<InvalidField> fields() {
    return fields;
  }
}
