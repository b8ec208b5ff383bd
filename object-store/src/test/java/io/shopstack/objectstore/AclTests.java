package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Type;

/** ACLs as S3 answers them with ACLs disabled, judged by the AWS SDK's own parser. */
@ObjectStoreTest
class AclTests {

  @LocalServerPort int port;

  @Test
  void ownerHoldsFullControlAndOnlyOwnerOnlyAclsCanBeSet() {
    try (S3Client s3 = SignedHttp.sdkClient(port)) {
      s3.createBucket(b -> b.bucket("acl-tests"));
      s3.putObject(b -> b.bucket("acl-tests").key("a/b.txt"), RequestBody.fromString("x"));

      var bucketAcl = s3.getBucketAcl(b -> b.bucket("acl-tests"));
      assertThat(bucketAcl.owner().id()).isEqualTo("object-store-test");
      assertThat(bucketAcl.grants())
          .singleElement()
          .satisfies(
              g -> {
                assertThat(g.permission()).isEqualTo(Permission.FULL_CONTROL);
                assertThat(g.grantee().type()).isEqualTo(Type.CANONICAL_USER);
                assertThat(g.grantee().id()).isEqualTo("object-store-test");
              });
      assertThat(s3.getObjectAcl(b -> b.bucket("acl-tests").key("a/b.txt")).grants())
          .extracting(Grant::permission)
          .containsExactly(Permission.FULL_CONTROL);

      s3.putBucketAcl(b -> b.bucket("acl-tests").acl(BucketCannedACL.PRIVATE));
      assertThatThrownBy(
              () ->
                  s3.putObjectAcl(
                      b -> b.bucket("acl-tests").key("a/b.txt").acl(ObjectCannedACL.PUBLIC_READ)))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("AccessControlListNotSupported");
              });
      // what s3cmd cp does: the source's ACL put on the copy, unchanged, is accepted
      var reported = s3.getObjectAcl(b -> b.bucket("acl-tests").key("a/b.txt"));
      s3.putObjectAcl(
          b ->
              b.bucket("acl-tests")
                  .key("a/b.txt")
                  .accessControlPolicy(p -> p.owner(reported.owner()).grants(reported.grants())));
      Grant everyoneReads =
          Grant.builder()
              .grantee(
                  g -> g.type(Type.GROUP).uri("http://acs.amazonaws.com/groups/global/AllUsers"))
              .permission(Permission.READ)
              .build();
      assertThatThrownBy(
              () ->
                  s3.putObjectAcl(
                      b ->
                          b.bucket("acl-tests")
                              .key("a/b.txt")
                              .accessControlPolicy(
                                  p ->
                                      p.owner(reported.owner())
                                          .grants(reported.grants().get(0), everyoneReads))))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("AccessControlListNotSupported"));
      assertThatThrownBy(() -> s3.getObjectAcl(b -> b.bucket("acl-tests").key("missing")))
          .isInstanceOf(NoSuchKeyException.class);
    }
  }

  @Test
  void publicReadObjectsShowTheAllUsersReadGrantButNotToAnonymousReaders() throws Exception {
    try (S3Client s3 = SignedHttp.sdkClient(port)) {
      GetObjectAclResponse acl = s3.getObjectAcl(b -> b.bucket("images").key("course-1001.png"));
      assertThat(acl.grants())
          .anySatisfy(
              g -> {
                assertThat(g.permission()).isEqualTo(Permission.READ);
                assertThat(g.grantee().type()).isEqualTo(Type.GROUP);
                assertThat(g.grantee().uri())
                    .isEqualTo("http://acs.amazonaws.com/groups/global/AllUsers");
              });
    }
    HttpResponse<String> anonymous =
        SignedHttp.send(
            HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/images/course-1001.png?acl")));
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>");
  }
}
