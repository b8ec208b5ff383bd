package io.shopstack.objectstore.bucket;

import io.shopstack.objectstore.storage.BucketStorage;
import io.shopstack.objectstore.storage.BucketStorage.Bucket;
import io.shopstack.objectstore.system.ObjectStoreProperties;
import io.shopstack.objectstore.system.XmlDocument;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * ListBuckets, CreateBucket, HeadBucket, DeleteBucket and ListObjects(V2): the bucket-level half of
 * the path-style S3 API. There is one owner, and any credentials are accepted.
 */
@RestController
class BucketController {

  /** Region reported to clients; SDKs configured for us-east-1 expect exactly this. */
  static final String REGION = "us-east-1";

  private final BucketStorage buckets;
  private final ObjectListing listing;
  private final String owner;

  BucketController(BucketStorage buckets, ObjectListing listing, ObjectStoreProperties properties) {
    this.buckets = buckets;
    this.listing = listing;
    this.owner = properties.instance();
  }

  @GetMapping("/")
  ResponseEntity<byte[]> listBuckets() throws IOException {
    XmlDocument xml = XmlDocument.result("ListAllMyBucketsResult");
    xml.open("Owner").element("ID", owner).element("DisplayName", owner).close();
    xml.open("Buckets");
    for (Bucket bucket : buckets.list()) {
      xml.open("Bucket")
          .element("Name", bucket.name())
          .element(
              "CreationDate",
              DateTimeFormatter.ISO_INSTANT.format(bucket.created().truncatedTo(ChronoUnit.MILLIS)))
          .close();
    }
    return xml.close().toResponse(HttpStatus.OK);
  }

  @PutMapping({"/{bucket}", "/{bucket}/"})
  ResponseEntity<Void> create(@PathVariable String bucket) throws IOException {
    buckets.create(bucket);
    return ResponseEntity.ok().header("Location", "/" + bucket).build();
  }

  @RequestMapping(
      path = {"/{bucket}", "/{bucket}/"},
      method = RequestMethod.HEAD)
  ResponseEntity<Void> head(@PathVariable String bucket) {
    buckets.require(bucket);
    return ResponseEntity.ok().header("x-amz-bucket-region", REGION).build();
  }

  @DeleteMapping({"/{bucket}", "/{bucket}/"})
  ResponseEntity<Void> delete(@PathVariable String bucket) throws IOException {
    buckets.delete(bucket);
    return ResponseEntity.noContent().build();
  }

  @GetMapping({"/{bucket}", "/{bucket}/"})
  ResponseEntity<byte[]> listObjects(
      @PathVariable String bucket, @RequestParam Map<String, String> query) throws IOException {
    if (query.containsKey("location")) {
      buckets.require(bucket);
      // GetBucketLocation: us-east-1 is reported as an empty constraint, as S3 does
      return XmlDocument.result("LocationConstraint").toResponse(HttpStatus.OK);
    }
    if (query.containsKey("versioning")) {
      buckets.require(bucket);
      // a bucket that never had versioning enabled: an empty configuration, no Status
      return XmlDocument.result("VersioningConfiguration").toResponse(HttpStatus.OK);
    }
    return listing.list(bucket, ListRequest.from(query)).toResponse(HttpStatus.OK);
  }
}
