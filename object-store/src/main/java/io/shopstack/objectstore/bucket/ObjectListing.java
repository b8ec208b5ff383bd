package io.shopstack.objectstore.bucket;

import io.shopstack.objectstore.storage.ObjectKey;
import io.shopstack.objectstore.storage.ObjectStorage;
import io.shopstack.objectstore.storage.StoredObject;
import io.shopstack.objectstore.system.ObjectStoreProperties;
import io.shopstack.objectstore.system.XmlDocument;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Builds {@code ListBucketResult} (or {@code ListVersionsResult}): keys under a prefix in UTF-8
 * order, rolled up into CommonPrefixes at the delimiter, one page of at most max-keys entries at a
 * time.
 */
@Component
class ObjectListing {

  private final ObjectStorage storage;
  private final String owner;

  ObjectListing(ObjectStorage storage, ObjectStoreProperties properties) {
    this.storage = storage;
    this.owner = properties.instance();
  }

  XmlDocument list(String bucket, ListRequest request) throws IOException {
    List<StoredObject> contents = new ArrayList<>();
    Set<String> commonPrefixes = new LinkedHashSet<>();
    String lastReturned = null;
    boolean truncated = false;
    for (String key : storage.keys(bucket, request.prefix())) {
      if (request.maxKeys() == 0) {
        break; // S3: an empty page that is not truncated, whatever the bucket holds
      }
      String rolledUp = ObjectKey.commonPrefix(key, request.prefix(), request.delimiter());
      if (request.after() != null && ObjectStorage.compareUtf8(key, request.after()) <= 0) {
        continue;
      }
      // a page that ended on common prefix "a/" resumes after it: skip the rest of "a/..."
      if (rolledUp != null
          && (commonPrefixes.contains(rolledUp)
              || (request.after() != null
                  && ObjectStorage.compareUtf8(rolledUp, request.after()) <= 0))) {
        continue;
      }
      if (contents.size() + commonPrefixes.size() >= request.maxKeys()) {
        truncated = true;
        break;
      }
      if (rolledUp != null) {
        commonPrefixes.add(rolledUp);
        lastReturned = rolledUp;
      } else {
        Optional<StoredObject> object = storage.find(bucket, key);
        if (object.isPresent()) { // deleted since the directory was read: skip
          contents.add(object.get());
          lastReturned = key;
        }
      }
    }
    if (request.versions()) {
      return renderVersions(bucket, request, contents, commonPrefixes, truncated, lastReturned);
    }
    return render(bucket, request, contents, commonPrefixes, truncated, lastReturned);
  }

  private XmlDocument render(
      String bucket,
      ListRequest request,
      List<StoredObject> contents,
      Set<String> commonPrefixes,
      boolean truncated,
      String lastReturned) {
    XmlDocument xml = XmlDocument.result("ListBucketResult");
    xml.element("Name", bucket)
        .element("Prefix", encode(request.prefix(), request))
        .element("Delimiter", encode(request.delimiter(), request))
        .element("MaxKeys", request.maxKeys())
        .element("EncodingType", request.urlEncoded() ? "url" : null)
        .element("IsTruncated", truncated);
    if (request.v2()) {
      xml.element("KeyCount", contents.size() + commonPrefixes.size())
          .element("StartAfter", encode(request.startAfter(), request))
          .element("ContinuationToken", request.continuationToken());
      if (truncated && lastReturned != null) {
        xml.element("NextContinuationToken", ListRequest.encodeToken(lastReturned));
      }
    } else {
      xml.element("Marker", encode(request.marker() == null ? "" : request.marker(), request));
      if (truncated && request.delimiter() != null && lastReturned != null) {
        xml.element("NextMarker", encode(lastReturned, request));
      }
    }
    for (StoredObject object : contents) {
      xml.open("Contents")
          .element("Key", encode(object.key(), request))
          .element("LastModified", DateTimeFormatter.ISO_INSTANT.format(object.lastModified()))
          .element("ETag", object.etag())
          .element("Size", object.size())
          .element("StorageClass", "STANDARD");
      if (request.owners()) {
        xml.open("Owner").element("ID", owner).element("DisplayName", owner).close();
      }
      xml.close();
    }
    for (String prefix : commonPrefixes) {
      xml.open("CommonPrefixes").element("Prefix", encode(prefix, request)).close();
    }
    return xml.close();
  }

  /**
   * ListObjectVersions as S3 answers it for a bucket that never had versioning: each object is its
   * one version, "null", and the latest; there are no delete markers. Cleanup tools (and {@code aws
   * s3api list-object-versions}) page through this before deleting.
   */
  private XmlDocument renderVersions(
      String bucket,
      ListRequest request,
      List<StoredObject> contents,
      Set<String> commonPrefixes,
      boolean truncated,
      String lastReturned) {
    XmlDocument xml = XmlDocument.result("ListVersionsResult");
    xml.element("Name", bucket)
        .element("Prefix", encode(request.prefix(), request))
        .element("KeyMarker", encode(request.marker() == null ? "" : request.marker(), request))
        .element("VersionIdMarker", "");
    if (truncated && lastReturned != null) {
      xml.element("NextKeyMarker", encode(lastReturned, request));
      if (!commonPrefixes.contains(lastReturned)) {
        xml.element("NextVersionIdMarker", "null");
      }
    }
    xml.element("MaxKeys", request.maxKeys())
        .element("Delimiter", encode(request.delimiter(), request))
        .element("EncodingType", request.urlEncoded() ? "url" : null)
        .element("IsTruncated", truncated);
    for (StoredObject object : contents) {
      xml.open("Version")
          .element("Key", encode(object.key(), request))
          .element("VersionId", "null")
          .element("IsLatest", true)
          .element("LastModified", DateTimeFormatter.ISO_INSTANT.format(object.lastModified()))
          .element("ETag", object.etag())
          .element("Size", object.size())
          .element("StorageClass", "STANDARD");
      xml.open("Owner").element("ID", owner).element("DisplayName", owner).close();
      xml.close();
    }
    for (String prefix : commonPrefixes) {
      xml.open("CommonPrefixes").element("Prefix", encode(prefix, request)).close();
    }
    return xml.close();
  }

  /**
   * encoding-type=url: keys may hold characters XML 1.0 cannot carry, so clients ask for this. S3
   * leaves '/' as it is (clients split on it before decoding).
   */
  private static String encode(String value, ListRequest request) {
    if (value == null || !request.urlEncoded()) {
      return value;
    }
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
  }
}
