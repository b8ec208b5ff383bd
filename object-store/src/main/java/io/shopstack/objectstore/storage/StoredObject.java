package io.shopstack.objectstore.storage;

import java.time.Instant;
import java.util.List;

/**
 * One object as its JSON sidecar records it. The sidecar is the object: it names the blob file
 * holding the content, and replacing the sidecar is the single atomic step that publishes a new
 * version (see ObjectStorage).
 *
 * @param etag quoted hex MD5 of the content, as S3 returns it for single-part uploads
 * @param blob file name of the content under the bucket's {@code blobs/} directory
 * @param partSizes the sizes of the parts of a completed multipart upload, in order, so that
 *     GetObject with {@code partNumber} can find a part's bytes in the one blob (offsets, not
 *     copies); null for an object that was not uploaded in parts (and for sidecars written before)
 */
public record StoredObject(
    String key,
    long size,
    String etag,
    Instant lastModified,
    String blob,
    ObjectHeaders headers,
    List<Long> partSizes) {

  public StoredObject {
    partSizes = partSizes == null ? null : List.copyOf(partSizes);
  }

  /** An object written in one piece (PUT, copy) or an upload's part. */
  public StoredObject(
      String key,
      long size,
      String etag,
      Instant lastModified,
      String blob,
      ObjectHeaders headers) {
    this(key, size, etag, lastModified, blob, headers, null);
  }
}
