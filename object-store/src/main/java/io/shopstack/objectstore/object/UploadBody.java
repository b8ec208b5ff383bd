package io.shopstack.objectstore.object;

import io.shopstack.objectstore.auth.ChunkSignatures;
import io.shopstack.objectstore.storage.ObjectHeaders;
import io.shopstack.objectstore.system.S3Error;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns a PutObject request into the object's bytes and headers: undoes aws-chunked framing,
 * attaches the checksum check, and refuses declared sizes above the limit before reading a byte.
 * The request's signature was checked before (auth.RequestAuthentication); what only the body can
 * prove is checked here as it streams: the declared {@code x-amz-content-sha256}, the chunk
 * signatures of an aws-chunked body, and the checksums.
 */
public final class UploadBody {

  private static final String META_PREFIX = "x-amz-meta-";

  /** What the AWS SDKs name the algorithm of the checksum they send with (header or trailer). */
  private static final String SDK_ALGORITHM = "x-amz-sdk-checksum-algorithm";

  private UploadBody() {}

  public static InputStream open(HttpServletRequest request, long maxBytes) throws IOException {
    checkSdkAlgorithm(request);
    boolean chunked = isAwsChunked(request);
    long declared =
        chunked
            ? longHeader(request, "x-amz-decoded-content-length")
            : request.getContentLengthLong();
    if (request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") == null) {
      throw S3Error.MISSING_CONTENT_LENGTH.exception();
    }
    if (declared > maxBytes) {
      throw S3Error.ENTITY_TOO_LARGE.exception(
          "Your proposed upload of "
              + declared
              + " bytes exceeds the maximum allowed size of "
              + maxBytes
              + " bytes");
    }
    InputStream body = request.getInputStream();
    Map<String, String> trailers = Collections.emptyMap();
    if (chunked) {
      AwsChunkedInputStream decoder =
          new AwsChunkedInputStream(
              body, declared, (ChunkSignatures) request.getAttribute(ChunkSignatures.ATTRIBUTE));
      body = decoder;
      String trailer = request.getHeader("x-amz-trailer");
      if (trailer != null && trailer.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")) {
        ObjectChecksums.trailer(request, trailer.trim(), () -> decoder.trailer(trailer.trim()));
        return PayloadChecksum.verifying(
            body, trailer.trim(), () -> decoder.trailer(trailer.trim()));
      }
    }
    for (String name : checksumHeaders(request)) {
      String value = request.getHeader(name);
      body = PayloadChecksum.verifying(body, name, () -> value);
    }
    String payloadHash = request.getHeader("x-amz-content-sha256");
    if (!chunked && payloadHash != null && payloadHash.matches("[0-9a-fA-F]{64}")) {
      body = PayloadChecksum.verifyingSha256Hex(body, payloadHash);
    }
    String contentMd5 = request.getHeader("Content-MD5");
    if (contentMd5 != null) {
      body = PayloadChecksum.verifying(body, "Content-MD5", () -> contentMd5);
    }
    return body;
  }

  /**
   * The flexible checksums the request carries for its body (header or trailer), verified: call
   * once the body has been read. An upload's part keeps these.
   */
  public static Map<String, String> checksums(HttpServletRequest request) {
    return ObjectChecksums.declared(request);
  }

  /**
   * Refuses a request whose {@code x-amz-sdk-checksum-algorithm} names another algorithm than the
   * checksum it carries (header or trailer), before a byte of its body is read: S3 answers 400
   * InvalidRequest "Value for x-amz-sdk-checksum-algorithm header is invalid." to PutObject
   * (openstack/swift {@code test/s3api/test_object_checksums.py}, {@code
   * test_different_checksum_requested}) and to UploadPart (open-io/swift's file of the same name),
   * both run against AWS. A request with no checksum is not refused here.
   */
  public static void checkSdkAlgorithm(HttpServletRequest request) {
    String named = request.getHeader(SDK_ALGORITHM);
    Set<String> declared = declaredChecksums(request);
    if (named != null
        && !declared.isEmpty()
        && !declared.contains("x-amz-checksum-" + named.trim().toLowerCase(Locale.ROOT))) {
      throw S3Error.INVALID_REQUEST.exception("Value for " + SDK_ALGORITHM + " header is invalid.");
    }
  }

  /**
   * The names of the flexible checksums the request declares for its body ({@code
   * x-amz-checksum-crc32}, ..., lower case), known before a byte of it is read: the aws-chunked
   * trailer's name, or the checksum headers.
   */
  public static Set<String> declaredChecksums(HttpServletRequest request) {
    Set<String> names = new TreeSet<>();
    String trailer = request.getHeader("x-amz-trailer");
    if (isAwsChunked(request)
        && trailer != null
        && trailer.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")) {
      names.add(trailer.trim().toLowerCase(Locale.ROOT));
      return names;
    }
    names.addAll(checksumHeaders(request));
    return names;
  }

  /**
   * The request's checksum headers for its body ({@code x-amz-checksum-crc32}, ..., lower case):
   * {@code x-amz-checksum-algorithm} and {@code -type} name an algorithm, not a value.
   */
  private static List<String> checksumHeaders(HttpServletRequest request) {
    List<String> names = new ArrayList<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("x-amz-checksum-")
          && !lower.equals("x-amz-checksum-algorithm")
          && !lower.equals("x-amz-checksum-type")) {
        names.add(lower);
      }
    }
    return names;
  }

  /**
   * The headers the object keeps; aws-chunked is transfer framing, not the object's encoding. Taken
   * after the body was read, so that its checksums were verified and a trailer's has arrived.
   */
  public static ObjectHeaders headers(HttpServletRequest request) {
    Map<String, String> representation = new HashMap<>();
    for (String name : ObjectHeaders.STORED) {
      String value = request.getHeader(name);
      if (name.equals("Content-Encoding") && value != null) {
        value =
            Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(coding -> !coding.isEmpty() && !coding.equalsIgnoreCase("aws-chunked"))
                .collect(Collectors.joining(", "));
      }
      if (value != null && !value.isEmpty()) {
        representation.put(name, value);
      }
    }
    Map<String, String> userMetadata = new HashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith(META_PREFIX) && lower.length() > META_PREFIX.length()) {
        userMetadata.put(lower.substring(META_PREFIX.length()), request.getHeader(name));
      }
    }
    return new ObjectHeaders(representation, userMetadata, ObjectChecksums.declared(request));
  }

  private static boolean isAwsChunked(HttpServletRequest request) {
    String encoding = request.getHeader("Content-Encoding");
    String sha = request.getHeader("x-amz-content-sha256");
    return (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"))
        || (sha != null && sha.startsWith("STREAMING-"));
  }

  private static long longHeader(HttpServletRequest request, String name) {
    String value = request.getHeader(name);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw S3Error.INVALID_ARGUMENT.exception(name + " is not a number: " + value);
    }
  }
}
