package io.shopstack.order.system;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The body of every error answer, an RFC 9457 problem ({@code application/problem+json}): {@code
 * status}, {@code title} (the status's reason), {@code detail} saying what was wrong, and with
 * {@code errors} each input field to blame, so a client can fix its request without reading logs.
 * No {@code type} URIs of our own: {@code about:blank}, the default, says the status is the type.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String title, int status, String detail, List<InvalidField> errors) {

  public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

  /** One bad input: its JSON path ({@code order.Author}) or header name, and what is wrong. */
  public record InvalidField(String field, String detail) {}

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static ResponseEntity<Problem> of(HttpStatusCode status, String detail) {
    return of(status, detail, List.of());
  }

  public static ResponseEntity<Problem> of(
      HttpStatusCode status, String detail, List<InvalidField> errors) {
    return ResponseEntity.status(status)
        .contentType(PROBLEM_JSON)
        .body(new Problem(titleOf(status), status.value(), detail, errors));
  }

  static String titleOf(HttpStatusCode status) {
    HttpStatus known = HttpStatus.resolve(status.value());
    return known != null ? known.getReasonPhrase() : "Error " + status.value();
  }
}
