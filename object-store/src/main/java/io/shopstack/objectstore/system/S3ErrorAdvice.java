package io.shopstack.objectstore.system;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Turns every refusal into the {@code <Error>} document S3 clients parse: the SDKs read {@code
 * Code} to raise NoSuchKeyException and friends, so the code matters more than the text.
 */
@RestControllerAdvice
class S3ErrorAdvice {

  private static final Logger log = LoggerFactory.getLogger(S3ErrorAdvice.class);
  private static final long SWALLOW_LIMIT = 2 * 1024 * 1024;

  @ExceptionHandler(S3Exception.class)
  ResponseEntity<byte[]> refused(S3Exception e, HttpServletRequest request) {
    return document(e.error(), e.getMessage(), e.elements(), request);
  }

  /** POST also carries DeleteObjects, RestoreObject and SelectObjectContent in S3: not here. */
  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<byte[]> unsupportedMethod(
      HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    if ("POST".equals(e.getMethod())) {
      return document(
          S3Error.NOT_IMPLEMENTED, "This POST operation is not implemented by this store", request);
    }
    return document(S3Error.METHOD_NOT_ALLOWED, S3Error.METHOD_NOT_ALLOWED.message(), request);
  }

  /**
   * Only the admin port has paths no handler maps (the S3 port maps every path): an unknown one is
   * a plain 404 there, not a 500 logged as an ERROR with a stack trace for every probe.
   */
  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<Void> noSuchPath() {
    return ResponseEntity.notFound().build();
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<byte[]> failed(Exception e, HttpServletRequest request) {
    if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
      // a client (a CDN edge, wrk, curl ^C) went away mid-download: routine, nothing to answer
      log.debug("{} {}: client disconnected: {}", request.getMethod(), request.getRequestURI(), e);
      return null;
    }
    HttpException broken = brokenRequest(e);
    if (broken != null) {
      // the client's framing (chunked encoding, a body shorter than announced): its fault, not ours
      log.debug("{} {}: unreadable request: {}", request.getMethod(), request.getRequestURI(), e);
      // Jetty reports broken chunk framing as an early end too: only a counted body is "incomplete"
      return broken instanceof EofException && request.getHeader("Transfer-Encoding") == null
          ? document(S3Error.INCOMPLETE_BODY, S3Error.INCOMPLETE_BODY.message(), request)
          : document(
              S3Error.BAD_REQUEST,
              ContainerErrors.Refusal.detailed(S3Error.BAD_REQUEST.message(), broken.getReason()),
              request);
    }
    log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
    return document(S3Error.INTERNAL_ERROR, S3Error.INTERNAL_ERROR.message(), request);
  }

  /** Jetty's own refusal of the request bytes, when reading the body is what failed. */
  private static HttpException brokenRequest(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpException http && http.getCode() == 400) {
        return http;
      }
    }
    return null;
  }

  private static ResponseEntity<byte[]> document(
      S3Error error, String message, HttpServletRequest request) {
    return document(error, message, Map.of(), request);
  }

  /** {@code elements}: what this refusal names beyond the subject, as S3 orders them. */
  private static ResponseEntity<byte[]> document(
      S3Error error, String message, Map<String, String> elements, HttpServletRequest request) {
    XmlDocument document =
        XmlDocument.error().element("Code", error.code()).element("Message", message);
    ErrorSubject.of(error, request).forEach(document::element);
    elements.forEach(document::element);
    ResponseEntity<byte[]> answer =
        document
            .element("Resource", request.getRequestURI())
            .element("RequestId", request.getAttribute(ServedByFilter.REQUEST_ID_ATTRIBUTE))
            .toResponse(error.status());
    if (unreadBodySwallowed(request)) {
      return answer;
    }
    // Too big to read for nothing: say that the connection ends with this answer.
    return ResponseEntity.status(answer.getStatusCode())
        .headers(answer.getHeaders())
        .header(HttpHeaders.CONNECTION, "close")
        .body(answer.getBody());
  }

  /**
   * A refusal often comes before the body was read (a bad signature, an unsupported sub-resource).
   * Left unread, a body that had not fully arrived makes the server close the connection after the
   * answer, under a keep-alive client's next request. So a small rest is read and dropped (as
   * Tomcat's maxSwallowSize does); a big one is not.
   */
  private static boolean unreadBodySwallowed(HttpServletRequest request) {
    try {
      InputStream body = request.getInputStream();
      byte[] chunk = new byte[8192];
      long read = 0;
      for (int n; (n = body.read(chunk)) > 0; ) {
        read += n;
        if (read > SWALLOW_LIMIT) {
          return false;
        }
      }
      return true;
    } catch (IOException | IllegalStateException e) {
      return false; // already read as a reader, or the client went away: nothing to keep
    }
  }
}
