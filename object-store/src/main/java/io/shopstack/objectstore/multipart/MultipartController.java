package io.shopstack.objectstore.multipart;

import io.shopstack.objectstore.object.UploadBody;
import io.shopstack.objectstore.storage.ChecksumAlgorithm;
import io.shopstack.objectstore.storage.MultipartStorage;
import io.shopstack.objectstore.storage.MultipartStorage.Upload;
import io.shopstack.objectstore.storage.ObjectHeaders;
import io.shopstack.objectstore.storage.StoredObject;
import io.shopstack.objectstore.system.ObjectStoreProperties;
import io.shopstack.objectstore.system.S3Error;
import io.shopstack.objectstore.system.XmlDocument;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Multipart upload, how every S3 client moves large files (s3cmd above 15 MiB, boto3 above 8 MiB,
 * the AWS SDKs' transfer managers): create, upload parts, list, complete or abort. Objects grow
 * beyond the single-PUT limit this way, streamed to disk part by part.
 */
@RestController
class MultipartController {

  private final MultipartStorage uploads;
  private final String owner;

  MultipartController(MultipartStorage uploads, ObjectStoreProperties properties) {
    this.uploads = uploads;
    this.owner = properties.instance();
  }

  /** The algorithm of an upload created with one, as ListParts and ListMultipartUploads name it. */
  private static void checksumAlgorithm(Upload upload, XmlDocument xml) {
    upload
        .checksumAlgorithm()
        .ifPresent(
            algorithm ->
                xml.element("ChecksumAlgorithm", algorithm.name())
                    .element("ChecksumType", "COMPOSITE"));
  }

  /** The one owner, as S3 names who started an upload and who owns it. */
  private XmlDocument initiatorAndOwner(XmlDocument xml) {
    xml.open("Initiator").element("ID", owner).element("DisplayName", owner).close();
    return xml.open("Owner").element("ID", owner).element("DisplayName", owner).close();
  }

  @PostMapping(path = "/{bucket}/{*key}", params = "uploads")
  ResponseEntity<byte[]> create(
      @PathVariable String bucket, @PathVariable String key, HttpServletRequest request)
      throws IOException {
    ObjectHeaders headers = UploadBody.headers(request);
    Optional<ChecksumAlgorithm> algorithm = UploadChecksums.requested(request);
    if (algorithm.isPresent()) {
      headers =
          new ObjectHeaders(
              headers.representation(),
              headers.userMetadata(),
              Map.of(ChecksumAlgorithm.HEADER, algorithm.get().name()));
    }
    Upload upload = uploads.create(bucket, keyOf(key), headers);
    ResponseEntity<byte[]> created =
        XmlDocument.result("InitiateMultipartUploadResult")
            .element("Bucket", bucket)
            .element("Key", keyOf(key))
            .element("UploadId", upload.id())
            .close()
            .toResponse(HttpStatus.OK);
    return algorithm.isEmpty()
        ? created
        : ResponseEntity.ok()
            .headers(created.getHeaders())
            .header(ChecksumAlgorithm.HEADER, algorithm.get().name())
            .header("x-amz-checksum-type", "COMPOSITE")
            .body(created.getBody());
  }

  @PutMapping(
      path = "/{bucket}/{*key}",
      params = {"uploadId", "partNumber"})
  ResponseEntity<Void> uploadPart(
      @PathVariable String bucket,
      @PathVariable String key,
      @RequestParam String uploadId,
      @RequestParam String partNumber,
      HttpServletRequest request)
      throws IOException {
    int number;
    try {
      number = Integer.parseInt(partNumber);
    } catch (NumberFormatException e) {
      throw S3Error.INVALID_ARGUMENT.exception(
          "Part number must be an integer between 1 and 10000");
    }
    var upload = uploads.require(bucket, keyOf(key), uploadId);
    StoredObject part;
    // open() reads no byte yet; it refuses a disagreeing x-amz-sdk-checksum-algorithm first, as S3
    // answers that before the upload's own algorithm (checkPart)
    try (InputStream body = UploadBody.open(request, MultipartStorage.MAX_PART_SIZE)) {
      UploadChecksums.checkPart(upload, request);
      part =
          uploads.putPart(
              bucket, keyOf(key), uploadId, number, body, () -> UploadBody.checksums(request));
    }
    var answer = ResponseEntity.ok().eTag(part.etag());
    UploadChecksums.of(part).forEach((name, value) -> answer.header(name, value));
    return answer.build();
  }

  @GetMapping(path = "/{bucket}/{*key}", params = "uploadId")
  ResponseEntity<byte[]> listParts(
      @PathVariable String bucket,
      @PathVariable String key,
      @RequestParam String uploadId,
      @RequestParam(name = "part-number-marker", required = false) String marker,
      @RequestParam(name = "max-parts", required = false) String maxParts)
      throws IOException {
    Upload upload = uploads.require(bucket, keyOf(key), uploadId);
    PartListing page =
        PartListing.of(uploads.parts(bucket, keyOf(key), uploadId), marker, maxParts);
    XmlDocument xml =
        XmlDocument.result("ListPartsResult")
            .element("Bucket", bucket)
            .element("Key", keyOf(key))
            .element("UploadId", uploadId);
    initiatorAndOwner(xml).element("StorageClass", "STANDARD");
    checksumAlgorithm(upload, xml);
    xml.element("PartNumberMarker", page.marker())
        .element("NextPartNumberMarker", page.nextMarker())
        .element("MaxParts", page.maxParts())
        .element("IsTruncated", page.truncated());
    for (StoredObject part : page.parts()) {
      xml.open("Part")
          .element("PartNumber", part.key())
          .element("LastModified", DateTimeFormatter.ISO_INSTANT.format(part.lastModified()))
          .element("ETag", part.etag())
          .element("Size", part.size());
      ChecksumAlgorithm.elements(UploadChecksums.of(part), xml);
      xml.close();
    }
    return xml.close().toResponse(HttpStatus.OK);
  }

  @PostMapping(path = "/{bucket}/{*key}", params = "uploadId")
  ResponseEntity<byte[]> complete(
      @PathVariable String bucket,
      @PathVariable String key,
      @RequestParam String uploadId,
      HttpServletRequest request)
      throws IOException {
    StoredObject object =
        uploads.complete(bucket, keyOf(key), uploadId, CompleteRequest.parse(request));
    XmlDocument xml =
        XmlDocument.result("CompleteMultipartUploadResult")
            .element("Location", "/" + bucket + "/" + object.key())
            .element("Bucket", bucket)
            .element("Key", object.key())
            .element("ETag", object.etag());
    Map<String, String> checksums = UploadChecksums.of(object);
    ChecksumAlgorithm.elements(checksums, xml);
    if (!checksums.isEmpty()) {
      xml.element("ChecksumType", ChecksumAlgorithm.type(checksums.values().iterator().next()));
    }
    return xml.close().toResponse(HttpStatus.OK);
  }

  @DeleteMapping(path = "/{bucket}/{*key}", params = "uploadId")
  ResponseEntity<Void> abort(
      @PathVariable String bucket, @PathVariable String key, @RequestParam String uploadId)
      throws IOException {
    uploads.abort(bucket, keyOf(key), uploadId);
    return ResponseEntity.noContent().build();
  }

  @GetMapping(
      path = {"/{bucket}", "/{bucket}/"},
      params = "uploads")
  ResponseEntity<byte[]> listUploads(
      @PathVariable String bucket,
      @RequestParam(required = false) String prefix,
      @RequestParam(required = false) String delimiter,
      @RequestParam(name = "key-marker", required = false) String keyMarker,
      @RequestParam(name = "upload-id-marker", required = false) String uploadIdMarker,
      @RequestParam(name = "max-uploads", required = false) String maxUploads)
      throws IOException {
    UploadListing page =
        UploadListing.of(
            uploads.uploads(bucket), prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
    XmlDocument xml =
        XmlDocument.result("ListMultipartUploadsResult")
            .element("Bucket", bucket)
            .element("KeyMarker", page.keyMarker())
            .element("UploadIdMarker", page.uploadIdMarker())
            .element("NextKeyMarker", page.nextKeyMarker())
            .element("NextUploadIdMarker", page.nextUploadIdMarker())
            .element("Delimiter", page.delimiter())
            .element("Prefix", page.prefix())
            .element("MaxUploads", page.maxUploads())
            .element("IsTruncated", page.truncated());
    for (Upload upload : page.uploads()) {
      xml.open("Upload").element("Key", upload.target().key()).element("UploadId", upload.id());
      initiatorAndOwner(xml)
          .element("StorageClass", "STANDARD")
          .element(
              "Initiated", DateTimeFormatter.ISO_INSTANT.format(upload.target().lastModified()));
      checksumAlgorithm(upload, xml);
      xml.close();
    }
    for (String common : page.commonPrefixes()) {
      xml.open("CommonPrefixes").element("Prefix", common).close();
    }
    return xml.close().toResponse(HttpStatus.OK);
  }

  /** The {*key} capture starts with the slash that separates it from the bucket. */
  private static String keyOf(String key) {
    return key.startsWith("/") ? key.substring(1) : key;
  }
}
