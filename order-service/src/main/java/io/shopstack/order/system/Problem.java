package io.shopstack.order.system;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The body of every error answer, an RFC 9457 problem ({@code application/problem+json}): {@code
 * status}, {@code title} (the status's reason), {@code detail} saying what was wrong, and with
 * {@code errors} each input field to blame, so a client can fix its request without reading logs.
 * No {@code type} URIs of our own: {@code about:blank}, the default, says the status is the type.
 * {@code extensions} are RFC 9457 extension members, written beside the others ({@code
 * currentPrice} of a 409).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String title,
    int status,
    String detail,
    List<InvalidField> errors,
    @JsonAnyGetter Map<String, Object> extensions) {

  public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

  /** One bad input: its JSON path ({@code order.Author}) or header name, and what is wrong. */
  public record InvalidField(String field, String detail) {}

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
    extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
  }

  public Problem(String title, int status, String detail, List<InvalidField> errors) {
    this(title, status, detail, errors, Map.of());
  }

  public static ResponseEntity<Problem> of(HttpStatusCode status, String detail) {
    return of(status, detail, List.of());
  }

  public static ResponseEntity<Problem> of(
      HttpStatusCode status, String detail, List<InvalidField> errors) {
    return of(status, detail, errors, Map.of());
  }

  public static ResponseEntity<Problem> of(
      HttpStatusCode status,
      String detail,
      List<InvalidField> errors,
      Map<String, Object> extensions) {
    return ResponseEntity.status(status)
        .contentType(PROBLEM_JSON)
        .body(new Problem(titleOf(status), status.value(), detail, errors, extensions));
  }

  static String titleOf(HttpStatusCode status) {
    HttpStatus known = HttpStatus.resolve(status.value());
    return known != null ? known.getReasonPhrase() : "Error " + status.value();
  }
}
