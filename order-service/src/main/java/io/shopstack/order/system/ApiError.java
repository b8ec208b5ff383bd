package io.shopstack.order.system;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The body of every error answer: {@code {"error": "what was wrong"}}, plus the offending {@code
 * field} when one input field is to blame, so a client can fix its request without reading logs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field) {

  public static ResponseEntity<ApiError> of(HttpStatusCode status, String error) {
    return of(status, error, null);
  }

  public static ResponseEntity<ApiError> of(HttpStatusCode status, String error, String field) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(new ApiError(error, field));
  }
}
