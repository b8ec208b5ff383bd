package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * ListParts and ListMultipartUploads in pages, through the AWS SDK v2's paginators: {@code
 * max-parts} with {@code part-number-marker}, {@code max-uploads} with {@code key-marker} and
 * {@code upload-id-marker}. Before, both listings ignored them and answered everything at once.
 * ListMultipartUploads with {@code prefix} and {@code delimiter}: uploads under the prefix, the
 * rest rolled up into CommonPrefixes, paged together (before, both were ignored: every upload of
 * the bucket, no CommonPrefixes).
 */
@ObjectStoreTest
class MultipartListingTests {

  @RegisterExtension static final StoreSdk sdk = new StoreSdk();

  @Test
  void partsComeInPagesOfMaxParts() {
    sdk.s3().createBucket(b -> b.bucket("list-parts"));
    String id = sdk.s3().createMultipartUpload(b -> b.bucket("list-parts").key("k")).uploadId();
    for (int number = 1; number <= 5; number++) {
      int n = number;
      sdk.s3()
          .uploadPart(
              b -> b.bucket("list-parts").key("k").uploadId(id).partNumber(n),
              RequestBody.fromBytes(new byte[100 * n]));
    }

    var first = sdk.s3().listParts(b -> b.bucket("list-parts").key("k").uploadId(id).maxParts(2));
    assertThat(first.parts()).extracting(Part::partNumber).containsExactly(1, 2);
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.maxParts()).isEqualTo(2);
    assertThat(first.nextPartNumberMarker()).isEqualTo(2);

    var third =
        sdk.s3()
            .listParts(
                b -> b.bucket("list-parts").key("k").uploadId(id).maxParts(2).partNumberMarker(4));
    assertThat(third.parts()).extracting(Part::partNumber).containsExactly(5);
    assertThat(third.isTruncated()).isFalse();
    assertThat(third.partNumberMarker()).isEqualTo(4);

    var pages =
        sdk.s3().listPartsPaginator(b -> b.bucket("list-parts").key("k").uploadId(id).maxParts(2));
    List<Integer> numbers = new ArrayList<>();
    int pageCount = 0;
    for (var page : pages) {
      pageCount++;
      page.parts().forEach(p -> numbers.add(p.partNumber()));
    }
    assertThat(numbers).containsExactly(1, 2, 3, 4, 5);
    assertThat(pageCount).isEqualTo(3);
  }

  @Test
  void uploadsComeInPagesAfterTheirMarkers() {
    sdk.s3().createBucket(b -> b.bucket("list-uploads"));
    List<String> keys = List.of("a", "b", "b", "c", "d");
    for (String key : keys) {
      sdk.s3().createMultipartUpload(b -> b.bucket("list-uploads").key(key));
    }
    List<MultipartUpload> all =
        sdk.s3().listMultipartUploads(b -> b.bucket("list-uploads")).uploads();
    assertThat(all).extracting(MultipartUpload::key).containsExactlyElementsOf(keys);

    var first = sdk.s3().listMultipartUploads(b -> b.bucket("list-uploads").maxUploads(2));
    assertThat(first.uploads())
        .extracting(MultipartUpload::uploadId)
        .containsExactly(all.get(0).uploadId(), all.get(1).uploadId());
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.maxUploads()).isEqualTo(2);
    assertThat(first.nextKeyMarker()).isEqualTo("b");
    assertThat(first.nextUploadIdMarker()).isEqualTo(all.get(1).uploadId());

    assertThat(
            sdk.s3().listMultipartUploads(b -> b.bucket("list-uploads").keyMarker("b")).uploads())
        .extracting(MultipartUpload::key)
        .containsExactly("c", "d");
    assertThat(
            sdk.s3()
                .listMultipartUploads(
                    b ->
                        b.bucket("list-uploads")
                            .keyMarker("b")
                            .uploadIdMarker(all.get(1).uploadId()))
                .uploads())
        .extracting(MultipartUpload::uploadId)
        .containsExactly(all.get(2).uploadId(), all.get(3).uploadId(), all.get(4).uploadId());

    List<String> paged = new ArrayList<>();
    int pageCount = 0;
    for (var page :
        sdk.s3().listMultipartUploadsPaginator(b -> b.bucket("list-uploads").maxUploads(2))) {
      pageCount++;
      page.uploads().forEach(u -> paged.add(u.uploadId()));
    }
    assertThat(paged)
        .containsExactlyElementsOf(all.stream().map(MultipartUpload::uploadId).toList());
    assertThat(pageCount).isEqualTo(3);
  }

  @Test
  void uploadsUnderAPrefixRollUpAtTheDelimiter() {
    sdk.s3().createBucket(b -> b.bucket("list-prefixes"));
    for (String key :
        List.of(
            "photos/2006/jan/a.jpg",
            "photos/2006/feb/b.jpg",
            "photos/2006/feb/c.jpg",
            "photos/2006/index.html",
            "photos/2007/d.jpg",
            "top.txt",
            "videos/v.mp4")) {
      sdk.s3().createMultipartUpload(b -> b.bucket("list-prefixes").key(key));
    }

    var top = sdk.s3().listMultipartUploads(b -> b.bucket("list-prefixes").delimiter("/"));
    assertThat(top.uploads()).extracting(MultipartUpload::key).containsExactly("top.txt");
    assertThat(top.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("photos/", "videos/");
    assertThat(top.delimiter()).isEqualTo("/");
    assertThat(top.isTruncated()).isFalse();

    var year =
        sdk.s3()
            .listMultipartUploads(
                b -> b.bucket("list-prefixes").prefix("photos/2006/").delimiter("/"));
    assertThat(year.prefix()).isEqualTo("photos/2006/");
    assertThat(year.uploads())
        .extracting(MultipartUpload::key)
        .containsExactly("photos/2006/index.html");
    assertThat(year.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("photos/2006/feb/", "photos/2006/jan/");

    // a prefix alone filters; nothing is rolled up
    assertThat(
            sdk.s3()
                .listMultipartUploads(b -> b.bucket("list-prefixes").prefix("photos/2006/feb/"))
                .uploads())
        .extracting(MultipartUpload::key)
        .containsExactly("photos/2006/feb/b.jpg", "photos/2006/feb/c.jpg");

    // one entry per page, prefixes counted with uploads; a page ending on a prefix resumes after it
    var first =
        sdk.s3()
            .listMultipartUploads(
                b -> b.bucket("list-prefixes").prefix("photos/2006/").delimiter("/").maxUploads(1));
    assertThat(first.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("photos/2006/feb/");
    assertThat(first.uploads()).isEmpty();
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.nextKeyMarker()).isEqualTo("photos/2006/feb/");
    List<String> entries = new ArrayList<>();
    int pageCount = 0;
    for (var page :
        sdk.s3()
            .listMultipartUploadsPaginator(
                b ->
                    b.bucket("list-prefixes")
                        .prefix("photos/2006/")
                        .delimiter("/")
                        .maxUploads(1))) {
      pageCount++;
      page.commonPrefixes().forEach(p -> entries.add(p.prefix()));
      page.uploads().forEach(u -> entries.add(u.key()));
    }
    assertThat(entries)
        .containsExactly("photos/2006/feb/", "photos/2006/index.html", "photos/2006/jan/");
    assertThat(pageCount).isEqualTo(3);

    // CommonPrefixes not greater than the key-marker are left out, as S3 documents
    assertThat(
            sdk.s3()
                .listMultipartUploads(
                    b ->
                        b.bucket("list-prefixes").delimiter("/").keyMarker("photos/2006/jan/a.jpg"))
                .commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("videos/");
  }
}
