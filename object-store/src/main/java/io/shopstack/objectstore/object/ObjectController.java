package io.shopstack.objectstore.object;

import io.shopstack.objectstore.auth.RequestAuthentication;
import io.shopstack.objectstore.storage.ObjectStorage;
import io.shopstack.objectstore.storage.StoredObject;
import io.shopstack.objectstore.system.ObjectStoreProperties;
import io.shopstack.objectstore.system.S3Error;
import io.shopstack.objectstore.system.XmlDocument;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * PutObject, GetObject, HeadObject and DeleteObject on path-style URLs {@code /{bucket}/{key}};
 * keys may contain slashes. GET is what the CDN edges send on a miss, with Range and conditional
 * headers when they revalidate. See UploadBody for what is (not) checked about signatures.
 */
@RestController
@RequestMapping("/{bucket}/{*key}")
class ObjectController {

  private final ObjectStorage storage;
  private final long maxObjectSize;

  ObjectController(ObjectStorage storage, ObjectStoreProperties properties) {
    this.storage = storage;
    this.maxObjectSize = properties.maxObjectSize().toBytes();
  }

  @PutMapping
  ResponseEntity<Void> put(
      @PathVariable String bucket, @PathVariable String key, HttpServletRequest request)
      throws IOException {
    String objectKey = keyOf(key);
    StoredObject stored;
    try (InputStream body = UploadBody.open(request, maxObjectSize)) {
      stored =
          storage.put(
              bucket,
              objectKey,
              body,
              maxObjectSize,
              () -> UploadBody.headers(request),
              Preconditions.write(
                  request.getHeader(HttpHeaders.IF_MATCH),
                  request.getHeader(HttpHeaders.IF_NONE_MATCH)));
    }
    return ResponseEntity.ok().eTag(stored.etag()).build();
  }

  @GetMapping
  void get(
      @PathVariable String bucket,
      @PathVariable String key,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException {
    String objectKey = keyOf(key);
    Optional<ObjectStorage.Content> found = storage.open(bucket, objectKey);
    if (found.isEmpty()) {
      throw S3Error.NO_SUCH_KEY.exception();
    }
    try (ObjectStorage.Content content = found.get()) {
      StoredObject object = content.object();
      if (notModified(object, request, response)) {
        return;
      }
      Optional<ObjectPart> part = partOf(object, request);
      Optional<ByteRange> range =
          part.isPresent()
              ? part.map(ObjectPart::range)
              : Preconditions.rangeApplies(object, request.getHeader(HttpHeaders.IF_RANGE))
                  ? ByteRange.parse(request.getHeader(HttpHeaders.RANGE), object.size())
                  : Optional.empty();
      ObjectResponse.representation(object, response);
      part.flatMap(ObjectPart::partsCount)
          .ifPresent(count -> response.setHeader(ObjectPart.PARTS_COUNT, count.toString()));
      ResponseOverrides.apply(
          request, RequestAuthentication.signed(request), ObjectResponse.servletHeaders(response));
      if (range.isEmpty() || part.filter(p -> p.partsCount().isEmpty()).isPresent()) {
        ObjectChecksums.answer(object, request, response::setHeader); // whole object only
      }
      long first = range.map(ByteRange::first).orElse(0L);
      long length = range.map(ByteRange::length).orElse(object.size());
      if (range.isPresent()) {
        response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
        response.setHeader(HttpHeaders.CONTENT_RANGE, range.get().contentRange(object.size()));
      }
      response.setContentLengthLong(length);
      BlobWriter.write(content.channel(), first, length, response);
    }
  }

  /**
   * GetObjectTagging: objects here carry no tags, so an existing object answers S3's empty tag set.
   * {@code aws s3 mv/cp} of a multipart-sized object asks for it before copying the tags along.
   */
  @GetMapping(params = "tagging")
  ResponseEntity<byte[]> tagging(@PathVariable String bucket, @PathVariable String key)
      throws IOException {
    String objectKey = keyOf(key);
    if (storage.find(bucket, objectKey).isEmpty()) {
      throw S3Error.NO_SUCH_KEY.exception();
    }
    return XmlDocument.result("Tagging").open("TagSet").close().toResponse(HttpStatus.OK);
  }

  @RequestMapping(method = RequestMethod.HEAD)
  void head(
      @PathVariable String bucket,
      @PathVariable String key,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException {
    String objectKey = keyOf(key);
    StoredObject object =
        storage
            .find(bucket, objectKey)
            .orElseThrow(() -> S3Error.NO_SUCH_KEY.exception("The specified key does not exist"));
    if (notModified(object, request, response)) {
      return;
    }
    Optional<ObjectPart> part = partOf(object, request);
    ObjectResponse.representation(object, response);
    ResponseOverrides.apply(
        request, RequestAuthentication.signed(request), ObjectResponse.servletHeaders(response));
    if (part.isEmpty() || part.get().partsCount().isEmpty()) {
      ObjectChecksums.answer(object, request, response::setHeader); // whole object only
    }
    if (part.isPresent()) {
      part.get()
          .partsCount()
          .ifPresent(count -> response.setHeader(ObjectPart.PARTS_COUNT, count.toString()));
      response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
      response.setHeader(HttpHeaders.CONTENT_RANGE, part.get().range().contentRange(object.size()));
      response.setContentLengthLong(part.get().range().length());
      return;
    }
    response.setContentLengthLong(object.size());
  }

  /** {@code ?partNumber=N}: one part of the object, checked before any header is written. */
  private static Optional<ObjectPart> partOf(StoredObject object, HttpServletRequest request) {
    return ObjectPart.resolve(
        request.getParameter("partNumber"), request.getHeader(HttpHeaders.RANGE), object);
  }

  @DeleteMapping
  ResponseEntity<Void> delete(
      @PathVariable String bucket, @PathVariable String key, HttpServletRequest request)
      throws IOException {
    storage.delete(
        bucket, keyOf(key), Preconditions.write(request.getHeader(HttpHeaders.IF_MATCH), null));
    return ResponseEntity.noContent().build();
  }

  private static boolean notModified(
      StoredObject object, HttpServletRequest request, HttpServletResponse response) {
    Preconditions.Outcome outcome =
        Preconditions.evaluate(
            object,
            request.getHeader(HttpHeaders.IF_MATCH),
            request.getHeader(HttpHeaders.IF_UNMODIFIED_SINCE),
            request.getHeader(HttpHeaders.IF_NONE_MATCH),
            request.getHeader(HttpHeaders.IF_MODIFIED_SINCE));
    if (outcome == Preconditions.Outcome.NOT_MODIFIED) {
      response.setStatus(HttpStatus.NOT_MODIFIED.value());
      ObjectResponse.validators(object, response);
      return true;
    }
    return false;
  }

  /**
   * The {*key} capture starts with the slash that separates it from the bucket. (Sub-resources
   * never get here: bucket.SubResourceGuard answers them.)
   */
  private static String keyOf(String key) {
    return key.startsWith("/") ? key.substring(1) : key;
  }
}
