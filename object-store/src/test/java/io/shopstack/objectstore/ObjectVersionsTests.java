package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * ListObjectVersions on a bucket that never had versioning, as S3 answers it: every object once,
 * version "null", latest, no delete markers; paged by key-marker, rolled up at the delimiter. The
 * AWS SDK v2's paginator (what cleanup tools use) walks it to the end.
 */
@ObjectStoreTest
class ObjectVersionsTests {

  @RegisterExtension static final StoreSdk sdk = new StoreSdk();

  @Test
  void everyObjectIsItsOneNullVersion() {
    sdk.s3().createBucket(b -> b.bucket("versions"));
    List<String> keys = List.of("a.txt", "covers/1001.png", "covers/1002.png", "z.txt");
    for (String key : keys) {
      sdk.s3().putObject(b -> b.bucket("versions").key(key), RequestBody.fromString(key));
    }

    ListObjectVersionsResponse all = sdk.s3().listObjectVersions(b -> b.bucket("versions"));
    assertThat(all.versions()).extracting(ObjectVersion::key).containsExactlyElementsOf(keys);
    assertThat(all.versions())
        .allSatisfy(
            v -> {
              assertThat(v.versionId()).isEqualTo("null");
              assertThat(v.isLatest()).isTrue();
              assertThat(v.size()).isEqualTo(v.key().length());
            });
    assertThat(all.deleteMarkers()).isEmpty();
    assertThat(all.isTruncated()).isFalse();

    ListObjectVersionsResponse rolled =
        sdk.s3().listObjectVersions(b -> b.bucket("versions").delimiter("/"));
    assertThat(rolled.versions()).extracting(ObjectVersion::key).containsExactly("a.txt", "z.txt");
    assertThat(rolled.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("covers/");

    ListObjectVersionsResponse page =
        sdk.s3().listObjectVersions(b -> b.bucket("versions").maxKeys(2));
    assertThat(page.isTruncated()).isTrue();
    assertThat(page.nextKeyMarker()).isEqualTo("covers/1001.png");
    assertThat(page.nextVersionIdMarker()).isEqualTo("null");
    List<String> paged = new ArrayList<>();
    sdk.s3()
        .listObjectVersionsPaginator(b -> b.bucket("versions").maxKeys(1))
        .forEach(p -> p.versions().forEach(v -> paged.add(v.key())));
    assertThat(paged).containsExactlyElementsOf(keys);

    assertThatThrownBy(
            () ->
                sdk.s3()
                    .listObjectVersions(
                        b -> b.bucket("versions").keyMarker("a.txt").versionIdMarker("3sL4kqt")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
  }
}
