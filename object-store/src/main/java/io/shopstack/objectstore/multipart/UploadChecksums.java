package io.shopstack.objectstore.multipart;

import io.shopstack.objectstore.object.UploadBody;
import io.shopstack.objectstore.storage.ChecksumAlgorithm;
import io.shopstack.objectstore.storage.MultipartStorage.Upload;
import io.shopstack.objectstore.storage.StoredObject;
import io.shopstack.objectstore.system.S3Error;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checksums of a multipart upload created with {@code x-amz-checksum-algorithm}, as the wire
 * carries them: the algorithm asked for at creation (kept when S3 would make it a COMPOSITE
 * checksum), the part checksum each UploadPart must carry, and the values ListParts, UploadPart's
 * answer and CompleteMultipartUpload's result name. The AWS SDKs and awscli take a part's checksum
 * from UploadPart's answer and name it again at completion.
 */
final class UploadChecksums {

  private static final String CHECKSUM_PREFIX = "x-amz-checksum-";

  private UploadChecksums() {}

  /**
   * The algorithm of a CreateMultipartUpload, when its checksum is the composite one: {@code
   * x-amz-checksum-type} absent or COMPOSITE. A FULL_OBJECT checksum (and CRC64NVME, which is only
   * that) is not kept, as an algorithm the store cannot compute is not kept for a PUT.
   */
  static Optional<ChecksumAlgorithm> requested(HttpServletRequest request) {
    String type = request.getHeader("x-amz-checksum-type");
    if (type != null && !type.trim().equalsIgnoreCase("COMPOSITE")) {
      return Optional.empty();
    }
    return ChecksumAlgorithm.named(request.getHeader(ChecksumAlgorithm.HEADER));
  }

  /**
   * Refuses, before a byte of it is stored, a part of an upload with an algorithm that does not
   * carry that algorithm's checksum: its composite could not be made. S3 refuses a part with no
   * checksum too, in the same words ("actual checksum Type: null"), rather than computing it: it
   * does that only for a FULL_OBJECT upload, which this store accepts without keeping a checksum. A
   * part whose {@code x-amz-sdk-checksum-algorithm} names another algorithm than the checksum sent
   * has been refused before this, in S3's words for that header, by {@link UploadBody#open}.
   */
  static void checkPart(Upload upload, HttpServletRequest request) {
    Optional<ChecksumAlgorithm> algorithm = upload.checksumAlgorithm();
    if (algorithm.isEmpty()) {
      return;
    }
    Set<String> declared = UploadBody.declaredChecksums(request);
    if (declared.contains(algorithm.get().header())) {
      return;
    }
    String actual =
        declared.isEmpty() ? "null" : declared.iterator().next().replace(CHECKSUM_PREFIX, "");
    throw S3Error.INVALID_REQUEST.exception(
        "Checksum Type mismatch occurred, expected checksum Type: "
            + algorithm.get().name().toLowerCase(Locale.ROOT)
            + ", actual checksum Type: "
            + actual);
  }

  /** The checksums a part or object keeps, by header name. */
  static Map<String, String> of(StoredObject stored) {
    return stored.headers() == null ? Map.of() : new TreeMap<>(stored.headers().checksums());
  }
}
