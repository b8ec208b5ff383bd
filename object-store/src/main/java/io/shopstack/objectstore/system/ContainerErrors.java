package io.shopstack.objectstore.system;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to what Jetty refuses before the application sees a request (a malformed request line
 * or header, a header section over the limit, an unknown {@code Expect}, broken chunked framing):
 * an S3 {@code <Error>} document like every other refusal of this store, not Jetty's HTML page. S3
 * clients parse {@code Code}; an HTML body leaves them with a bare status and no reason to show.
 *
 * <p>The status and code are S3's: a request line plus headers above the limit is S3's {@code 400
 * RequestHeaderSectionTooLarge} with the limit in {@code MaxSizeAllowed} (where Jetty would say 414
 * or 431), anything else unparseable is {@code 400 BadRequest} with Jetty's reason appended, so the
 * body still says what was wrong.
 */
final class ContainerErrors extends ErrorHandler {

  private final ResponseStamp stamp;
  private final int headerSectionLimit;

  ContainerErrors(ResponseStamp stamp, int headerSectionLimit) {
    this.stamp = stamp;
    this.headerSectionLimit = headerSectionLimit;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    if (request.getAttribute(ERROR_STATUS) instanceof Integer set) {
      status = set;
    }
    String reason = (String) request.getAttribute(ERROR_MESSAGE);
    Refusal refusal =
        status == HttpStatus.BAD_REQUEST_400 && request.getHttpURI().hasViolations()
            ? Refusal.invalidUri(reason)
            : Refusal.of(status, reason);
    response.setStatus(refusal.status());
    response.getHeaders().remove(HttpHeader.CACHE_CONTROL);
    // after a request that could not be parsed, nothing that follows on the connection can be
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    String requestId =
        stamp.apply(request.getHeaders().get("X-Request-Id"), response.getHeaders()::put);
    XmlDocument document =
        XmlDocument.error().element("Code", refusal.code()).element("Message", refusal.message());
    if (refusal.tooLarge()) {
      document.element("MaxSizeAllowed", headerSectionLimit);
    }
    byte[] body = document.element("RequestId", requestId).toBytes();
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml;charset=UTF-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  /** What S3 answers for a status Jetty chose. */
  record Refusal(int status, String code, String message) {

    /** A URI Jetty parsed but will not route: ambiguous segments, separators or encodings. */
    static Refusal invalidUri(String reason) {
      return s3(S3Error.INVALID_URI, reason);
    }

    static Refusal of(int jettyStatus, String reason) {
      return switch (jettyStatus) {
        case HttpStatus.URI_TOO_LONG_414, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 ->
            s3(S3Error.REQUEST_HEADER_SECTION_TOO_LARGE);
        case HttpStatus.EXPECTATION_FAILED_417 ->
            new Refusal(
                417,
                "ExpectationFailed",
                detailed("The only expectation this store meets is 100-continue", reason));
        case HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 ->
            new Refusal(
                505,
                "HttpVersionNotSupported",
                detailed("The HTTP version of the request is not supported", reason));
        case HttpStatus.PAYLOAD_TOO_LARGE_413 -> s3(S3Error.ENTITY_TOO_LARGE);
        case HttpStatus.REQUEST_TIMEOUT_408 ->
            new Refusal(
                400,
                "RequestTimeout",
                "Your socket connection to the server was not read from or written to within the"
                    + " timeout period.");
        case HttpStatus.NOT_IMPLEMENTED_501 -> s3(S3Error.NOT_IMPLEMENTED, reason);
        case HttpStatus.BAD_REQUEST_400 -> s3(S3Error.BAD_REQUEST, reason);
        default ->
            jettyStatus >= 500
                ? new Refusal(
                    jettyStatus, S3Error.INTERNAL_ERROR.code(), S3Error.INTERNAL_ERROR.message())
                : new Refusal(
                    jettyStatus,
                    HttpStatus.getMessage(jettyStatus).replace(" ", ""),
                    detailed(HttpStatus.getMessage(jettyStatus), reason));
      };
    }

    /** S3's own error at its own status, as S3 words it. */
    private static Refusal s3(S3Error error) {
      return new Refusal(error.status().value(), error.code(), error.message());
    }

    /** S3's own error at its own status, with Jetty's reason after the message. */
    private static Refusal s3(S3Error error, String reason) {
      return new Refusal(error.status().value(), error.code(), detailed(error.message(), reason));
    }

    /** S3 names its limit in this answer alone. */
    boolean tooLarge() {
      return code.equals(S3Error.REQUEST_HEADER_SECTION_TOO_LARGE.code());
    }

    static String detailed(String message, String reason) {
      return reason == null || reason.isBlank() ? message + "." : message + ": " + reason;
    }
  }
}
