package io.shopstack.order.system;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Turns whatever goes wrong inside Spring MVC into an {@link Problem} with the right status, never
 * a stack trace: the body says what the client got wrong, the log keeps what we got wrong. Feature
 * packages may answer their own errors first (the product pages answer in HTML).
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiErrorHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

  /** About one database timeout: a retry sooner would most likely meet the same outage. */
  private static final String RETRY_AFTER_SECONDS = "2";

  /** Absent in web slice tests, which have no database. */
  private final ObjectProvider<DatabaseOutage> outage;

  ApiErrorHandler(ObjectProvider<DatabaseOutage> outage) {
    this.outage = outage;
  }

  @ExceptionHandler
  ResponseEntity<Problem> malformedBody(HttpMessageNotReadableException e) {
    return Problem.of(HttpStatus.BAD_REQUEST, "malformed JSON: " + UnreadableBody.describe(e));
  }

  @ExceptionHandler
  ResponseEntity<Problem> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
    String given = e.getContentType() == null ? "none" : e.getContentType().toString();
    return Problem.of(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type " + given + " not supported, send " + e.getSupportedMediaTypes());
  }

  @ExceptionHandler
  ResponseEntity<Problem> badPathValue(MethodArgumentTypeMismatchException e) {
    String detail = "invalid " + e.getName() + ": " + e.getValue();
    return Problem.of(
        HttpStatus.BAD_REQUEST, detail, List.of(new Problem.InvalidField(e.getName(), detail)));
  }

  /**
   * Unknown path (404), wrong method (405), not acceptable (406) and the rest of Spring MVC's; a
   * database outage (503) or a bug (500) on any path, the order fast path's too.
   */
  @ExceptionHandler
  public ResponseEntity<Problem> anyOther(Exception e) {
    if (DatabaseOutage.isOutage(e)) {
      // Short, no stack: an outage shows as many of these at once, and the cause is outside us.
      log.warn("database unavailable: {}", e.toString());
      outage.ifAvailable(pool -> pool.dropPooledConnections());
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
          .contentType(Problem.PROBLEM_JSON)
          .body(
              new Problem(
                  Problem.titleOf(HttpStatus.SERVICE_UNAVAILABLE),
                  HttpStatus.SERVICE_UNAVAILABLE.value(),
                  "database unavailable, nothing was stored: retry later",
                  null));
    }
    if (e instanceof ErrorResponse known && !known.getStatusCode().is5xxServerError()) {
      String detail = known.getBody().getDetail();
      return Problem.of(
          known.getStatusCode(), detail != null ? detail : known.getStatusCode().toString());
    }
    log.error("request failed", e);
    return Problem.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
  }
}
