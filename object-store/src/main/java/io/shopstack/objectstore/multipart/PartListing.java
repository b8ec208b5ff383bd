package io.shopstack.objectstore.multipart;

import io.shopstack.objectstore.storage.StoredObject;
import io.shopstack.objectstore.system.S3Error;
import java.util.List;

/**
 * One page of ListParts, S3's way: the parts numbered above {@code part-number-marker}, at most
 * {@code max-parts} (1,000 by default and at most), and where the next page starts. The AWS SDKs'
 * paginators follow {@code NextPartNumberMarker} while {@code IsTruncated}.
 */
record PartListing(int marker, int maxParts, List<StoredObject> parts, boolean truncated) {

  static final int MAX_PARTS = 1000;

  static PartListing of(List<StoredObject> all, String markerParameter, String maxParameter) {
    int marker = nonNegative(markerParameter, 0, "part-number-marker");
    int max = Math.min(MAX_PARTS, nonNegative(maxParameter, MAX_PARTS, "max-parts"));
    List<StoredObject> after = all.stream().filter(p -> partNumber(p) > marker).toList();
    return new PartListing(
        marker, max, after.subList(0, Math.min(max, after.size())), after.size() > max);
  }

  /** The marker of the next page: the last part listed here (S3 says 0 when none is). */
  int nextMarker() {
    return parts.isEmpty() ? 0 : partNumber(parts.get(parts.size() - 1));
  }

  private static int partNumber(StoredObject part) {
    return Integer.parseInt(part.key());
  }

  /**
   * A listing parameter: absent or empty gives {@code absent}; anything but an integer >= 0 is S3's
   * InvalidArgument.
   */
  static int nonNegative(String value, int absent, String name) {
    if (value == null || value.isEmpty()) {
      return absent;
    }
    try {
      int number = Integer.parseInt(value.trim());
      if (number >= 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw S3Error.INVALID_ARGUMENT.exception(name + " must be a non-negative integer");
  }
}
