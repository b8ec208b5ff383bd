package io.shopstack.client.http;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Header (or trailer) fields in the order they were sent. Names compare case-insensitively, as HTTP
 * says; a name may repeat ({@code Via} does when several proxies are on the path).
 */
public record HttpHeaders(List<Field> fields) {
  public static final HttpHeaders EMPTY = new HttpHeaders(List.of());

  public HttpHeaders {
    fields = List.copyOf(fields);
  }

  public record Field(String name, String value) {}

  public static HttpHeaders of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Field[] fields = new Field[namesAndValues.length / 2];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = new Field(namesAndValues[2 * i], namesAndValues[2 * i + 1]);
    }
    return new HttpHeaders(List.of(fields));
  }

  /** All values of {@code name}, in order. */
  public List<String> all(String name) {
    return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).toList();
  }

  /**
   * The field's value as one line (repeated fields joined with ", ", which HTTP defines as
   * equivalent), or null when absent.
   */
  public String get(String name) {
    List<String> values = all(name);
    return values.isEmpty() ? null : String.join(", ", values);
  }

  public boolean contains(String name) {
    return !all(name).isEmpty();
  }

  /** Comma-separated list elements of {@code name}, trimmed and lower-cased. */
  List<String> tokens(String name) {
    return all(name).stream()
        .flatMap(v -> List.of(v.split(",")).stream())
        .map(v -> v.trim().toLowerCase(Locale.ROOT))
        .filter(v -> !v.isEmpty())
        .collect(Collectors.toList());
  }
}
