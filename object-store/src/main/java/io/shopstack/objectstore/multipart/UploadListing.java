package io.shopstack.objectstore.multipart;

import io.shopstack.objectstore.storage.MultipartStorage.Upload;
import io.shopstack.objectstore.storage.ObjectKey;
import io.shopstack.objectstore.storage.ObjectStorage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One page of ListMultipartUploads, S3's way: uploads of keys under {@code prefix} in key order
 * (then by initiation), starting after {@code key-marker} (every upload of a greater key) or, with
 * {@code upload-id-marker}, after that upload of the marker's key; keys with {@code delimiter}
 * after the prefix rolled up into one CommonPrefixes entry each (kept only when greater than the
 * key-marker, as S3 documents, so a page that ended on a prefix resumes after all of it); at most
 * {@code max-uploads} entries, uploads and prefixes counted together (1,000 by default and at
 * most). The AWS SDKs' paginators follow {@code NextKeyMarker} and {@code NextUploadIdMarker} while
 * {@code IsTruncated}; a page that ends on a prefix names no upload id.
 */
record UploadListing(
    String prefix,
    String delimiter,
    String keyMarker,
    String uploadIdMarker,
    int maxUploads,
    List<Upload> uploads,
    Set<String> commonPrefixes,
    String nextKeyMarker,
    String nextUploadIdMarker,
    boolean truncated) {

  static final int MAX_UPLOADS = 1000;

  static UploadListing of(
      List<Upload> all,
      String prefixParameter,
      String delimiterParameter,
      String keyMarker,
      String uploadIdMarker,
      String maxParameter) {
    String prefix = prefixParameter == null ? "" : prefixParameter;
    String delimiter =
        delimiterParameter == null || delimiterParameter.isEmpty() ? null : delimiterParameter;
    String key = keyMarker == null ? "" : keyMarker;
    String id = key.isEmpty() || uploadIdMarker == null ? "" : uploadIdMarker;
    int max =
        Math.min(MAX_UPLOADS, PartListing.nonNegative(maxParameter, MAX_UPLOADS, "max-uploads"));
    List<Upload> listed = new ArrayList<>();
    Set<String> prefixes = new LinkedHashSet<>();
    String nextKey = null;
    String nextId = null;
    boolean truncated = false;
    boolean markerSeen = false;
    for (Upload upload : all) {
      String uploadKey = upload.target().key();
      if (!uploadKey.startsWith(prefix)) {
        continue;
      }
      int order = ObjectStorage.compareUtf8(uploadKey, key);
      boolean afterMarker = order > 0 || (key.isEmpty() && order == 0);
      if (order == 0 && !id.isEmpty()) {
        // uploads of the marker's key come after the marker upload in listing order
        afterMarker = markerSeen;
        markerSeen |= upload.id().equals(id);
      }
      if (!afterMarker) {
        continue;
      }
      String rolledUp = ObjectKey.commonPrefix(uploadKey, prefix, delimiter);
      if (rolledUp != null
          && (prefixes.contains(rolledUp) || ObjectStorage.compareUtf8(rolledUp, key) <= 0)) {
        continue;
      }
      if (listed.size() + prefixes.size() >= max) {
        truncated = true;
        break;
      }
      if (rolledUp != null) {
        prefixes.add(rolledUp);
        nextKey = rolledUp;
        nextId = null;
      } else {
        listed.add(upload);
        nextKey = uploadKey;
        nextId = upload.id();
      }
    }
    return new UploadListing(
        prefixParameter, delimiter, key, id, max, listed, prefixes, nextKey, nextId, truncated);
  }
}
