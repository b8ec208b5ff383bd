package io.shopstack.objectstore.object;

import io.shopstack.objectstore.storage.BucketStorage;
import io.shopstack.objectstore.storage.ObjectStorage;
import io.shopstack.objectstore.system.S3Error;
import io.shopstack.objectstore.system.S3Exception;
import io.shopstack.objectstore.system.XmlDocument;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * DeleteObjects ({@code POST /bucket?delete}): how {@code s3cmd del --recursive}, {@code aws s3api
 * delete-objects}, rclone and the SDKs' bulk deletes clear up to 1,000 keys in one request. Each
 * key is deleted as DeleteObject deletes it (a missing key is deleted too); a key that fails gets
 * its own {@code <Error>} in the answer while the others go on. Quiet mode lists only the failures.
 */
@RestController
class DeleteObjectsController {

  private final ObjectStorage objects;
  private final BucketStorage buckets;

  DeleteObjectsController(ObjectStorage objects, BucketStorage buckets) {
    this.objects = objects;
    this.buckets = buckets;
  }

  @PostMapping(
      path = {"/{bucket}", "/{bucket}/"},
      params = "delete")
  ResponseEntity<byte[]> deleteObjects(@PathVariable String bucket, HttpServletRequest request)
      throws IOException {
    buckets.require(bucket);
    DeleteObjectsRequest delete = DeleteObjectsRequest.parse(request);
    XmlDocument xml = XmlDocument.result("DeleteResult");
    for (DeleteObjectsRequest.Entry entry : delete.entries()) {
      S3Exception failure = deleteOne(bucket, entry);
      if (failure != null) {
        xml.open("Error")
            .element("Key", entry.key())
            .element("VersionId", entry.versionId())
            .element("Code", failure.error().code())
            .element("Message", failure.getMessage())
            .close();
      } else if (!delete.quiet()) {
        xml.open("Deleted")
            .element("Key", entry.key())
            .element("VersionId", entry.versionId())
            .close();
      }
    }
    return xml.toResponse(HttpStatus.OK);
  }

  /** Null when the key is gone; the S3 error for this key otherwise. */
  private S3Exception deleteOne(String bucket, DeleteObjectsRequest.Entry entry)
      throws IOException {
    if (entry.versionId() != null && !entry.versionId().equals("null")) {
      return S3Error.NO_SUCH_VERSION.exception(
          "The specified version does not exist: this store keeps only the \"null\" version");
    }
    try {
      objects.delete(bucket, entry.key());
      return null;
    } catch (S3Exception e) {
      return e;
    }
  }
}
