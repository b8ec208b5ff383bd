package io.shopstack.objectstore.auth;

import io.shopstack.objectstore.system.S3Error;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.util.UriUtils;

/**
 * Every request is either signed with the configured key (SigV4 in the header or presigned, or a
 * SigV2 presigned URL) or an unsigned read of an object in a public-read bucket; everything else is
 * refused before a controller runs, so no write ever happens without a key. Refusals carry S3's
 * codes (AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch, RequestTimeTooSkewed) because
 * SDKs act on them.
 */
@Component
public class RequestAuthentication implements HandlerInterceptor {

  private static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";

  /** Set on a request whose signature was verified. */
  private static final String SIGNED = RequestAuthentication.class.getName() + ".signed";

  private static final Logger log = LoggerFactory.getLogger(RequestAuthentication.class);

  private final AuthProperties properties;
  private final Clock clock;

  @Autowired
  RequestAuthentication(AuthProperties properties) {
    this(properties, Clock.systemUTC());
  }

  RequestAuthentication(AuthProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    Optional<SignedRequest> signed = SignedRequest.of(request);
    if (signed.isEmpty() && PresignedUrlV2.present(request)) {
      PresignedUrlV2.verify(
          request, properties.accessKey(), properties.secretKey(), clock.instant());
      request.setAttribute(SIGNED, Boolean.TRUE);
    } else if (signed.isPresent()) {
      verify(request, signed.get());
      request.setAttribute(SIGNED, Boolean.TRUE);
    } else if (!anonymousReadAllowed(request)) {
      throw S3Error.ACCESS_DENIED.exception("Access Denied: sign the request with an access key");
    }
    return true;
  }

  /** Whether this request passed with a valid signature (else it is an anonymous public read). */
  public static boolean signed(HttpServletRequest request) {
    return Boolean.TRUE.equals(request.getAttribute(SIGNED));
  }

  private void verify(HttpServletRequest request, SignedRequest signed) {
    CredentialScope credential = signed.credential();
    if (!credential.accessKey().equals(properties.accessKey())) {
      throw S3Error.INVALID_ACCESS_KEY_ID.exception();
    }
    checkTime(signed);
    checkPayloadHash(signed.payloadHash());
    byte[] signingKey = SigV4.signingKey(properties.secretKey(), credential);
    String stringToSign =
        SigV4.ALGORITHM
            + "\n"
            + signed.amzDate()
            + "\n"
            + credential.scope()
            + "\n"
            + SigV4.sha256Hex(CanonicalRequest.of(request, signed));
    if (!SigV4.same(SigV4.sign(signingKey, stringToSign), signed.signature())) {
      // what the client must compare with its own, as S3 puts it in the error document
      log.debug("Signature mismatch; canonical request:\n{}", CanonicalRequest.of(request, signed));
      throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception();
    }
    if (signed.payloadHash().startsWith(STREAMING_SIGNED)) {
      request.setAttribute(
          ChunkSignatures.ATTRIBUTE,
          new ChunkSignatures(
              signingKey, signed.amzDate(), credential.scope(), signed.signature()));
    }
  }

  private void checkTime(SignedRequest signed) {
    Instant now = clock.instant();
    Instant time = signed.time();
    Duration skew = properties.maxClockSkew();
    if (signed.presigned()) {
      if (now.isAfter(time.plus(signed.expires()))) {
        throw S3Error.ACCESS_DENIED.exception("Request has expired");
      }
      if (time.isAfter(now.plus(skew))) {
        throw S3Error.ACCESS_DENIED.exception("Request is not valid yet");
      }
    } else if (Duration.between(time, now).abs().compareTo(skew) > 0) {
      throw S3Error.REQUEST_TIME_TOO_SKEWED.exception();
    }
  }

  private static void checkPayloadHash(String hash) {
    boolean known =
        hash.equals(SignedRequest.UNSIGNED_PAYLOAD)
            || hash.equals(STREAMING_SIGNED)
            || hash.equals(STREAMING_SIGNED + "-TRAILER")
            || hash.equals("STREAMING-UNSIGNED-PAYLOAD-TRAILER")
            || hash.matches("[0-9a-f]{64}");
    if (!known) {
      throw S3Error.INVALID_ARGUMENT.exception(
          "x-amz-content-sha256 must be UNSIGNED-PAYLOAD,"
              + " a STREAMING-* value or the hex SHA-256 of the payload");
    }
  }

  /** Unsigned GET or HEAD of an object (not a listing) in a bucket configured public-read. */
  private boolean anonymousReadAllowed(HttpServletRequest request) {
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return false;
    }
    // public-read grants reading the object, not its ACL or tags (S3's READ_ACP and tagging rights)
    if (request.getParameter("acl") != null || request.getParameter("tagging") != null) {
      return false;
    }
    String path = UriUtils.decode(request.getRequestURI(), "UTF-8");
    int slash = path.indexOf('/', 1);
    if (slash < 0 || slash == path.length() - 1) {
      return false;
    }
    return properties.publicRead(path.substring(1, slash));
  }
}
