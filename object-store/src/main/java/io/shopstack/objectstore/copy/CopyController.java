package io.shopstack.objectstore.copy;

import io.shopstack.objectstore.object.Preconditions;
import io.shopstack.objectstore.object.UploadBody;
import io.shopstack.objectstore.storage.ChecksumAlgorithm;
import io.shopstack.objectstore.storage.MultipartStorage;
import io.shopstack.objectstore.storage.ObjectHeaders;
import io.shopstack.objectstore.storage.ObjectStorage;
import io.shopstack.objectstore.storage.StoredObject;
import io.shopstack.objectstore.system.S3Error;
import io.shopstack.objectstore.system.XmlDocument;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Server-side copies: CopyObject ({@code aws s3 cp/mv} between keys, {@code s3cmd cp}, rclone's
 * server-side copy, and the way S3 changes an object's metadata: a copy onto itself with {@code
 * REPLACE}) and UploadPartCopy (how the same tools copy objects above their multipart threshold,
 * range by range). The bytes go through the same receive-fsync-rename path as an upload.
 */
@RestController
class CopyController {

  /** S3's ceiling for one CopyObject or one copied part; larger objects are copied in parts. */
  private static final long MAX_COPY = MultipartStorage.MAX_PART_SIZE;

  private final ObjectStorage objects;
  private final MultipartStorage multipart;

  CopyController(ObjectStorage objects, MultipartStorage multipart) {
    this.objects = objects;
    this.multipart = multipart;
  }

  @PutMapping(path = "/{bucket}/{*key}", headers = CopySource.HEADER)
  ResponseEntity<byte[]> copyObject(
      @PathVariable String bucket, @PathVariable String key, HttpServletRequest request)
      throws IOException {
    String target = keyOf(key);
    CopySource source = CopySource.of(request);
    boolean replace = replacesMetadata(request);
    if (source.bucket().equals(bucket) && source.key().equals(target) && !replace) {
      throw S3Error.INVALID_REQUEST.exception(
          "This copy request is illegal because it is trying to copy an object to itself without"
              + " changing the object's metadata, storage class, website redirect location or"
              + " encryption attributes.");
    }
    Consumer<Optional<StoredObject>> targetCondition =
        Preconditions.write(
            request.getHeader(HttpHeaders.IF_MATCH), request.getHeader(HttpHeaders.IF_NONE_MATCH));
    targetCondition.accept(objects.find(bucket, target)); // fail before copying for nothing
    StoredObject stored;
    try (ObjectStorage.Content content = open(source)) {
      StoredObject original = content.object();
      CopySource.checkConditions(original, request);
      if (original.size() > MAX_COPY) {
        throw S3Error.INVALID_REQUEST.exception(
            "The specified copy source is larger than the maximum allowable size for a copy"
                + " source: "
                + MAX_COPY);
      }
      // The copy has the source's bytes, so the source's whole-object checksums describe it;
      // checksum headers on the copy request were never checked against any bytes.
      ObjectHeaders kept = original.headers().withoutComposites();
      ObjectHeaders headers =
          replace ? UploadBody.headers(request).withChecksums(kept.checksums()) : kept;
      try (ObjectStorage.Received copy = objects.copy(content, 0, original.size())) {
        stored =
            objects.commit(
                bucket, target, copy, '"' + copy.md5Hex() + '"', headers, targetCondition);
      }
    }
    return result("CopyObjectResult", stored);
  }

  @PutMapping(
      path = "/{bucket}/{*key}",
      params = {"uploadId", "partNumber"},
      headers = CopySource.HEADER)
  ResponseEntity<byte[]> uploadPartCopy(
      @PathVariable String bucket,
      @PathVariable String key,
      @RequestParam String uploadId,
      @RequestParam String partNumber,
      HttpServletRequest request)
      throws IOException {
    int number = partNumber(partNumber);
    CopySource source = CopySource.of(request);
    multipart.require(bucket, keyOf(key), uploadId); // fail before copying for nothing
    StoredObject part;
    try (ObjectStorage.Content content = open(source)) {
      CopySource.checkConditions(content.object(), request);
      CopyRange range = CopyRange.of(request.getHeader(CopyRange.HEADER), content.object().size());
      if (range.length() > MAX_COPY) {
        throw S3Error.INVALID_REQUEST.exception(
            "A copied part may not exceed " + MAX_COPY + " bytes: use x-amz-copy-source-range");
      }
      try (ObjectStorage.Received copy = objects.copy(content, range.first(), range.length())) {
        part = multipart.putPart(bucket, keyOf(key), uploadId, number, copy);
      }
    }
    return result("CopyPartResult", part);
  }

  private ObjectStorage.Content open(CopySource source) throws IOException {
    return objects
        .open(source.bucket(), source.key())
        .orElseThrow(
            () ->
                S3Error.NO_SUCH_KEY.exception(
                    "The specified copy source does not exist: " + source.key()));
  }

  private static ResponseEntity<byte[]> result(String root, StoredObject stored) {
    XmlDocument xml =
        XmlDocument.result(root)
            .element("LastModified", DateTimeFormatter.ISO_INSTANT.format(stored.lastModified()))
            .element("ETag", stored.etag());
    if (stored.headers() != null) {
      ChecksumAlgorithm.elements(stored.headers().checksums(), xml);
    }
    return xml.toResponse(HttpStatus.OK);
  }

  /** COPY (the default) keeps the source's headers and metadata; REPLACE takes the request's. */
  private static boolean replacesMetadata(HttpServletRequest request) {
    String directive = request.getHeader("x-amz-metadata-directive");
    if (directive == null || directive.trim().equalsIgnoreCase("COPY")) {
      return false;
    }
    if (directive.trim().toUpperCase(Locale.ROOT).equals("REPLACE")) {
      return true;
    }
    throw S3Error.INVALID_ARGUMENT.exception("Unknown metadata directive: " + directive);
  }

  private static int partNumber(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw S3Error.INVALID_ARGUMENT.exception(
          "Part number must be an integer between 1 and 10000");
    }
  }

  /** The {*key} capture starts with the slash that separates it from the bucket. */
  private static String keyOf(String key) {
    return key.startsWith("/") ? key.substring(1) : key;
  }
}
