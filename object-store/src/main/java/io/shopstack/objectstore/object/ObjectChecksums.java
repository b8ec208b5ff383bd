package io.shopstack.objectstore.object;

import io.shopstack.objectstore.storage.ChecksumAlgorithm;
import io.shopstack.objectstore.storage.StoredObject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The flexible checksums of an object ({@code x-amz-checksum-crc32}, {@code -crc32c}, {@code
 * -sha1}, {@code -sha256}): kept from the upload that declared them, in a header or an aws-chunked
 * trailer, once PayloadChecksum has verified them against the bytes; given back by GetObject and
 * HeadObject only when asked with {@code x-amz-checksum-mode: ENABLED}, as S3 does. The AWS SDKs
 * ask by default and check the body against what comes back, so an object must never be answered
 * with a checksum of other bytes: only whole objects carry them, never a range. A completed
 * multipart upload created with a checksum algorithm carries the composite of its parts' checksums
 * (type COMPOSITE), which clients do not check a body against.
 */
final class ObjectChecksums {

  static final String MODE = "x-amz-checksum-mode";

  /** The algorithms PayloadChecksum verifies; a value it cannot check is not kept. */
  private static final Set<String> KEPT =
      Arrays.stream(ChecksumAlgorithm.values())
          .map(ChecksumAlgorithm::header)
          .collect(Collectors.toUnmodifiableSet());

  private static final String TRAILER = ObjectChecksums.class.getName() + ".trailer";

  private record Trailer(String name, Supplier<String> value) {}

  private ObjectChecksums() {}

  /** Notes the checksum an aws-chunked body will carry in its trailer. */
  static void trailer(HttpServletRequest request, String name, Supplier<String> value) {
    request.setAttribute(TRAILER, new Trailer(name.toLowerCase(Locale.ROOT), value));
  }

  /** The checksums the request declared: call once its body has been read (and so verified). */
  static Map<String, String> declared(HttpServletRequest request) {
    Map<String, String> checksums = new HashMap<>();
    if (request.getAttribute(TRAILER) instanceof Trailer trailer) {
      // with a trailer, UploadBody verifies only the trailer: so only it is kept
      String value = trailer.value().get();
      if (KEPT.contains(trailer.name()) && value != null) {
        checksums.put(trailer.name(), value.trim());
      }
      return checksums;
    }
    for (String name : KEPT) {
      String value = request.getHeader(name);
      if (value != null) {
        checksums.put(name, value.trim());
      }
    }
    return checksums;
  }

  /** Adds the object's checksums to a whole-object answer if the request asked for them. */
  static void answer(
      StoredObject object, HttpServletRequest request, BiConsumer<String, String> header) {
    String mode = request.getHeader(MODE);
    if (mode == null || !mode.trim().equalsIgnoreCase("ENABLED")) {
      return;
    }
    Map<String, String> checksums = object.headers().checksums();
    checksums.forEach(header);
    if (!checksums.isEmpty()) {
      header.accept(
          "x-amz-checksum-type", ChecksumAlgorithm.type(checksums.values().iterator().next()));
    }
  }
}
