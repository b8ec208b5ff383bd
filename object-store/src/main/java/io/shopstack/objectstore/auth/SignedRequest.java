package io.shopstack.objectstore.auth;

import io.shopstack.objectstore.system.S3Error;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a request claims about its signature, read from the {@code Authorization} header or from a
 * presigned URL's {@code X-Amz-*} query parameters. Parsing only: {@link RequestAuthentication}
 * recomputes the signature and decides.
 *
 * @param amzDate the request time in ISO 8601 basic form, as it enters the string to sign
 * @param expires for presigned URLs, how long after amzDate the URL is valid; null for headers
 * @param payloadHash the hex SHA-256 of the body or one of the UNSIGNED/STREAMING markers
 */
record SignedRequest(
    CredentialScope credential,
    String amzDate,
    List<String> signedHeaders,
    String signature,
    String payloadHash,
    Duration expires) {

  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final long MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

  boolean presigned() {
    return expires != null;
  }

  Instant time() {
    return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
  }

  /** The claimed signature, or empty when the request is anonymous (no header, no query). */
  static Optional<SignedRequest> of(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null) {
      return Optional.of(fromHeader(authorization, request));
    }
    if (request.getParameter("X-Amz-Algorithm") != null
        || request.getParameter("X-Amz-Signature") != null) {
      return Optional.of(fromQuery(request));
    }
    return Optional.empty();
  }

  private static SignedRequest fromHeader(String authorization, HttpServletRequest request) {
    String value = authorization.trim();
    if (value.startsWith("AWS ")) {
      throw S3Error.INVALID_REQUEST.exception(
          "The authorization mechanism you have provided is not supported. Please use "
              + SigV4.ALGORITHM
              + ".");
    }
    if (!value.startsWith(SigV4.ALGORITHM + " ")) {
      throw S3Error.INVALID_ARGUMENT.exception("Unsupported Authorization Type");
    }
    Map<String, String> fields = new HashMap<>();
    for (String field : value.substring(SigV4.ALGORITHM.length() + 1).split(",")) {
      int eq = field.indexOf('=');
      if (eq > 0) {
        fields.put(field.substring(0, eq).trim(), field.substring(eq + 1).trim());
      }
    }
    S3Error malformed = S3Error.AUTHORIZATION_HEADER_MALFORMED;
    CredentialScope credential = CredentialScope.parse(fields.get("Credential"), malformed);
    String amzDate = request.getHeader("x-amz-date");
    if (amzDate == null && request.getHeader("Date") != null) {
      amzDate = fromHttpDate(request.getHeader("Date"));
    }
    String payloadHash = request.getHeader("x-amz-content-sha256");
    if (payloadHash == null) {
      throw S3Error.INVALID_REQUEST.exception(
          "Missing required header for this request: x-amz-content-sha256");
    }
    return new SignedRequest(
        credential,
        requireDate(amzDate, credential, malformed),
        signedHeaders(fields.get("SignedHeaders"), malformed),
        require(fields.get("Signature"), malformed, "Signature"),
        payloadHash,
        null);
  }

  private static SignedRequest fromQuery(HttpServletRequest request) {
    S3Error malformed = S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR;
    if (!SigV4.ALGORITHM.equals(request.getParameter("X-Amz-Algorithm"))) {
      throw malformed.exception("X-Amz-Algorithm only supports \"" + SigV4.ALGORITHM + "\"");
    }
    CredentialScope credential =
        CredentialScope.parse(request.getParameter("X-Amz-Credential"), malformed);
    long seconds;
    try {
      seconds =
          Long.parseLong(require(request.getParameter("X-Amz-Expires"), malformed, "Expires"));
    } catch (NumberFormatException e) {
      throw malformed.exception("X-Amz-Expires should be a number");
    }
    if (seconds < 0 || seconds > MAX_PRESIGNED_SECONDS) {
      throw malformed.exception("X-Amz-Expires must be between 0 and 604800 seconds");
    }
    String payloadHash = request.getParameter("X-Amz-Content-Sha256");
    return new SignedRequest(
        credential,
        requireDate(request.getParameter("X-Amz-Date"), credential, malformed),
        signedHeaders(request.getParameter("X-Amz-SignedHeaders"), malformed),
        require(request.getParameter("X-Amz-Signature"), malformed, "Signature"),
        payloadHash != null ? payloadHash : UNSIGNED_PAYLOAD,
        Duration.ofSeconds(seconds));
  }

  private static List<String> signedHeaders(String value, S3Error malformed) {
    List<String> names =
        Arrays.stream(require(value, malformed, "SignedHeaders").split(";"))
            .map(name -> name.trim().toLowerCase(Locale.ROOT))
            .toList();
    if (!names.contains("host")) {
      throw malformed.exception("The host header must be signed");
    }
    return names;
  }

  private static String requireDate(String amzDate, CredentialScope credential, S3Error malformed) {
    if (amzDate == null) {
      throw S3Error.ACCESS_DENIED.exception(
          "AWS authentication requires a valid Date or x-amz-date header");
    }
    try {
      LocalDateTime.parse(amzDate, AMZ_DATE);
    } catch (DateTimeParseException e) {
      throw S3Error.ACCESS_DENIED.exception(
          "AWS authentication requires a valid Date or x-amz-date header");
    }
    if (!amzDate.startsWith(credential.date())) {
      throw malformed.exception("The credential's date does not match the request's date");
    }
    return amzDate;
  }

  private static String fromHttpDate(String date) {
    try {
      return AMZ_DATE.format(
          java.time.ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
              .withZoneSameInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String require(String value, S3Error malformed, String name) {
    if (value == null || value.isEmpty()) {
      throw malformed.exception("Missing " + name);
    }
    return value;
  }
}
