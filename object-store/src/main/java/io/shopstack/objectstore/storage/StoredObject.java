package io.shopstack.objectstore.storage;

import java.time.Instant;

/**
 * One object as its JSON sidecar records it. The sidecar is the object: it names the blob file
 * holding the content, and replacing the sidecar is the single atomic step that publishes a new
 * version (see ObjectStorage).
 *
 * @param etag quoted hex MD5 of the content, as S3 returns it for single-part uploads
 * @param blob file name of the content under the bucket's {@code blobs/} directory
 */
public record StoredObject(
    String key, long size, String etag, Instant lastModified, String blob, ObjectHeaders headers) {}
