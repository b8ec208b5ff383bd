package io.shopstack.objectstore.multipart;

import io.shopstack.objectstore.storage.MultipartStorage.Upload;
import io.shopstack.objectstore.storage.ObjectStorage;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of ListMultipartUploads, S3's way: uploads in key order (then by initiation), starting
 * after {@code key-marker} (every upload of a greater key) or, with {@code upload-id-marker}, after
 * that upload of the marker's key; at most {@code max-uploads} (1,000 by default and at most). The
 * AWS SDKs' paginators follow {@code NextKeyMarker} and {@code NextUploadIdMarker} while {@code
 * IsTruncated}.
 */
record UploadListing(
    String keyMarker,
    String uploadIdMarker,
    int maxUploads,
    List<Upload> uploads,
    boolean truncated) {

  static final int MAX_UPLOADS = 1000;

  static UploadListing of(
      List<Upload> all, String keyMarker, String uploadIdMarker, String maxParameter) {
    String key = keyMarker == null ? "" : keyMarker;
    String id = key.isEmpty() || uploadIdMarker == null ? "" : uploadIdMarker;
    int max =
        Math.min(MAX_UPLOADS, PartListing.nonNegative(maxParameter, MAX_UPLOADS, "max-uploads"));
    List<Upload> after = new ArrayList<>();
    boolean markerSeen = false;
    for (Upload upload : all) {
      int order = ObjectStorage.compareUtf8(upload.target().key(), key);
      if (order > 0 || (key.isEmpty() && order == 0)) {
        after.add(upload);
      } else if (order == 0 && !id.isEmpty()) {
        // uploads of the marker's key come after the marker upload in listing order
        if (markerSeen) {
          after.add(upload);
        }
        markerSeen |= upload.id().equals(id);
      }
    }
    return new UploadListing(
        key, id, max, after.subList(0, Math.min(max, after.size())), after.size() > max);
  }
}
