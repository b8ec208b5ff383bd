package io.shopstack.order.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors that never reached a controller (a filter's {@code sendError}, such as the 413 of
 * {@link BodySizeLimitFilter}) in the same problem shape as {@link ApiErrorHandler}; replaces
 * Spring Boot's whitelabel page. Requests Jetty refuses before any servlet runs (an invalid request
 * line) still get Jetty's own short answer.
 */
@RestController
class JsonErrorController implements ErrorController {

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<Problem> error(HttpServletRequest request) {
    HttpStatusCode status = statusOf(request);
    String message = (String) request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    if (status.is5xxServerError() || message == null || message.isBlank()) {
      // A server-side failure's message is for our log, not for the client.
      message = reasonOf(status);
    }
    return Problem.of(status, message);
  }

  private static HttpStatusCode statusOf(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    return code instanceof Integer value
        ? HttpStatusCode.valueOf(value)
        : HttpStatus.INTERNAL_SERVER_ERROR;
  }

  private static String reasonOf(HttpStatusCode status) {
    HttpStatus known = HttpStatus.resolve(status.value());
    return known != null ? known.getReasonPhrase().toLowerCase() : "error " + status.value();
  }
}
