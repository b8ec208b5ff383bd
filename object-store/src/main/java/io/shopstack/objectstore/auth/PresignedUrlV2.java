package io.shopstack.objectstore.auth;

import io.shopstack.objectstore.system.S3Error;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * S3's query-string authentication of Signature Version 2 ({@code ?AWSAccessKeyId=..&Expires=..
 * &Signature=..}): what Debian's boto3 1.26 {@code generate_presigned_url} makes by default and the
 * only kind {@code s3cmd signurl} makes. Such a link is handed to someone without the key, who
 * cannot re-sign it, so refusing it left those tools without presigned URLs. Only the presigned
 * form is taken: a client that signs headers with V2 can sign them with SigV4.
 */
final class PresignedUrlV2 {

  /** Query parameters that are part of the resource V2 signs (S3's list, as botocore keeps it). */
  private static final Set<String> SUB_RESOURCES =
      Set.of(
          ("acl cors defaultObjectAcl location logging partNumber policy requestPayment torrent"
                  + " versioning versionId versions website uploads uploadId response-content-type"
                  + " response-content-language response-expires response-cache-control"
                  + " response-content-disposition response-content-encoding delete lifecycle"
                  + " tagging restore storageClass notification replication analytics metrics"
                  + " inventory select select-type object-lock")
              .split(" "));

  private PresignedUrlV2() {}

  /** Whether the request carries a V2 presigned URL's parameters. */
  static boolean present(HttpServletRequest request) {
    return request.getParameter("Signature") != null
        || request.getParameter("AWSAccessKeyId") != null;
  }

  /** Throws S3's error unless the URL is signed with our key and has not expired. */
  static void verify(HttpServletRequest request, String accessKey, String secretKey, Instant now) {
    String keyId = request.getParameter("AWSAccessKeyId");
    String signature = request.getParameter("Signature");
    String expires = request.getParameter("Expires");
    if (keyId == null || signature == null || expires == null) {
      throw S3Error.ACCESS_DENIED.exception(
          "Query-string authentication requires the Signature, Expires and AWSAccessKeyId"
              + " parameters");
    }
    if (!keyId.equals(accessKey)) {
      throw S3Error.INVALID_ACCESS_KEY_ID.exception();
    }
    long expiresAt;
    try {
      expiresAt = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw S3Error.ACCESS_DENIED.exception("Invalid date (should be seconds since epoch)");
    }
    if (now.getEpochSecond() > expiresAt) {
      throw S3Error.ACCESS_DENIED.exception("Request has expired");
    }
    byte[] expected = hmacSha1(secretKey, stringToSign(request, expires));
    byte[] given;
    try {
      given = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception();
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception();
    }
  }

  /** Method, Content-MD5, Content-Type, Expires, the x-amz- headers, then the resource. */
  static String stringToSign(HttpServletRequest request, String expires) {
    return request.getMethod()
        + "\n"
        + header(request, "Content-MD5")
        + "\n"
        + header(request, "Content-Type")
        + "\n"
        + expires
        + "\n"
        + amzHeaders(request)
        + resource(request);
  }

  private static String header(HttpServletRequest request, String name) {
    String value = request.getHeader(name);
    return value == null ? "" : value.trim();
  }

  private static String amzHeaders(HttpServletRequest request) {
    Map<String, List<String>> amz = new TreeMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("x-amz-")) {
        for (String value : Collections.list(request.getHeaders(name))) {
          amz.computeIfAbsent(lower, n -> new ArrayList<>()).add(value.trim());
        }
      }
    }
    StringBuilder canonical = new StringBuilder();
    amz.forEach(
        (name, values) ->
            canonical.append(name).append(':').append(String.join(",", values)).append('\n'));
    return canonical.toString();
  }

  /**
   * The path as sent (path-style, so {@code /bucket/key}; a virtual-host request reads the same
   * after its rewrite), then the signed sub-resources sorted by name with decoded values.
   */
  private static String resource(HttpServletRequest request) {
    Map<String, String> signed = new TreeMap<>();
    String query = request.getQueryString();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        if (SUB_RESOURCES.contains(name)) {
          signed.put(name, eq < 0 ? null : decode(pair.substring(eq + 1)));
        }
      }
    }
    StringBuilder resource = new StringBuilder(request.getRequestURI());
    char separator = '?';
    for (Map.Entry<String, String> entry : signed.entrySet()) {
      resource.append(separator).append(entry.getKey());
      if (entry.getValue() != null) {
        resource.append('=').append(entry.getValue());
      }
      separator = '&';
    }
    return resource.toString();
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static byte[] hmacSha1(String secret, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }
}
