package io.shopstack.objectstore.acl;

import io.shopstack.objectstore.auth.AuthProperties;
import io.shopstack.objectstore.storage.BucketStorage;
import io.shopstack.objectstore.storage.ObjectKey;
import io.shopstack.objectstore.storage.ObjectStorage;
import io.shopstack.objectstore.system.ObjectStoreProperties;
import io.shopstack.objectstore.system.S3Error;
import io.shopstack.objectstore.system.XmlDocument;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GetBucketAcl/GetObjectAcl and PutBucketAcl/PutObjectAcl as S3 answers them for a bucket with ACLs
 * disabled (Object Ownership "bucket owner enforced", S3's default for new buckets): the owner
 * holds FULL_CONTROL, and in a public-read bucket everyone may READ its objects. Setting any other
 * ACL is 400 AccessControlListNotSupported. {@code s3cmd info}, {@code s3cmd setacl} and {@code aws
 * s3api get-object-acl} ask for these; a 501 left them with an error instead of S3's answer.
 */
@RestController
class AclController {

  /** What S3 still accepts from PutBucketAcl/PutObjectAcl when ACLs are disabled. */
  private static final Set<String> OWNER_ONLY = Set.of("private", "bucket-owner-full-control");

  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

  private final BucketStorage buckets;
  private final ObjectStorage objects;
  private final AuthProperties auth;
  private final String owner;

  AclController(
      BucketStorage buckets,
      ObjectStorage objects,
      AuthProperties auth,
      ObjectStoreProperties properties) {
    this.buckets = buckets;
    this.objects = objects;
    this.auth = auth;
    this.owner = properties.instance();
  }

  @GetMapping(
      path = {"/{bucket}", "/{bucket}/"},
      params = "acl")
  ResponseEntity<byte[]> bucketAcl(@PathVariable String bucket) {
    buckets.require(bucket);
    return policy(false);
  }

  @GetMapping(path = "/{bucket}/{*key}", params = "acl")
  ResponseEntity<byte[]> objectAcl(@PathVariable String bucket, @PathVariable String key)
      throws IOException {
    if (objects.find(bucket, ObjectKey.require(key.substring(1))).isEmpty()) {
      throw S3Error.NO_SUCH_KEY.exception();
    }
    return policy(auth.publicRead(bucket));
  }

  @PutMapping(
      path = {"/{bucket}", "/{bucket}/"},
      params = "acl")
  ResponseEntity<Void> putBucketAcl(@PathVariable String bucket, HttpServletRequest request)
      throws IOException {
    buckets.require(bucket);
    return unchanged(request, false);
  }

  @PutMapping(path = "/{bucket}/{*key}", params = "acl")
  ResponseEntity<Void> putObjectAcl(
      @PathVariable String bucket, @PathVariable String key, HttpServletRequest request)
      throws IOException {
    if (objects.find(bucket, ObjectKey.require(key.substring(1))).isEmpty()) {
      throw S3Error.NO_SUCH_KEY.exception();
    }
    return unchanged(request, auth.publicRead(bucket));
  }

  /**
   * Accepts what leaves the ACL as it is, as S3 does with ACLs disabled: an owner-only canned ACL,
   * or a policy document granting no more than the ACL this store reports (what {@code s3cmd cp}
   * copies from the source to the copy). Anything else is AccessControlListNotSupported.
   */
  private ResponseEntity<Void> unchanged(HttpServletRequest request, boolean publicRead)
      throws IOException {
    String canned = request.getHeader("x-amz-acl");
    boolean grantHeaders =
        Collections.list(request.getHeaderNames()).stream()
            .anyMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("x-amz-grant-"));
    Set<String> grants = RequestedGrants.read(request.getInputStream());
    boolean ownerOnlyCanned = canned != null && OWNER_ONLY.contains(canned) && grants == null;
    boolean reportedGrants =
        canned == null
            && grants != null
            && grants.contains(owner + " FULL_CONTROL")
            && reported(publicRead).containsAll(grants);
    if (!grantHeaders && (ownerOnlyCanned || reportedGrants)) {
      return ResponseEntity.ok().build();
    }
    throw S3Error.ACCESS_CONTROL_LIST_NOT_SUPPORTED.exception();
  }

  private Set<String> reported(boolean publicRead) {
    return publicRead
        ? Set.of(owner + " FULL_CONTROL", ALL_USERS + " READ")
        : Set.of(owner + " FULL_CONTROL");
  }

  private ResponseEntity<byte[]> policy(boolean publicRead) {
    XmlDocument xml = XmlDocument.result("AccessControlPolicy");
    xml.open("Owner").element("ID", owner).element("DisplayName", owner).close();
    xml.open("AccessControlList");
    xml.open("Grant")
        .openTyped("Grantee", "CanonicalUser")
        .element("ID", owner)
        .element("DisplayName", owner)
        .close()
        .element("Permission", "FULL_CONTROL")
        .close();
    if (publicRead) {
      xml.open("Grant")
          .openTyped("Grantee", "Group")
          .element("URI", ALL_USERS)
          .close()
          .element("Permission", "READ")
          .close();
    }
    return xml.close().toResponse(HttpStatus.OK);
  }
}
