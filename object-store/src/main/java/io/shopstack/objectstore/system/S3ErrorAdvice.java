package io.shopstack.objectstore.system;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Turns every refusal into the {@code <Error>} document S3 clients parse: the SDKs read {@code
 * Code} to raise NoSuchKeyException and friends, so the code matters more than the text.
 */
@RestControllerAdvice
class S3ErrorAdvice {

  private static final Logger log = LoggerFactory.getLogger(S3ErrorAdvice.class);

  @ExceptionHandler(S3Exception.class)
  ResponseEntity<byte[]> refused(S3Exception e, HttpServletRequest request) {
    return document(e.error(), e.getMessage(), request);
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

  @ExceptionHandler(Exception.class)
  ResponseEntity<byte[]> failed(Exception e, HttpServletRequest request) {
    if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
      // a client (a CDN edge, wrk, curl ^C) went away mid-download: routine, nothing to answer
      log.debug("{} {}: client disconnected: {}", request.getMethod(), request.getRequestURI(), e);
      return null;
    }
    log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
    return document(S3Error.INTERNAL_ERROR, S3Error.INTERNAL_ERROR.message(), request);
  }

  private static ResponseEntity<byte[]> document(
      S3Error error, String message, HttpServletRequest request) {
    return XmlDocument.error()
        .element("Code", error.code())
        .element("Message", message)
        .element("Resource", request.getRequestURI())
        .element("RequestId", request.getAttribute(ServedByFilter.REQUEST_ID_ATTRIBUTE))
        .toResponse(error.status());
  }
}
