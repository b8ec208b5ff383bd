package io.shopstack.objectstore.object;

import io.shopstack.objectstore.storage.StoredObject;
import io.shopstack.objectstore.system.S3Error;
import java.util.List;
import java.util.Optional;

/**
 * GetObject and HeadObject with {@code ?partNumber=N}: the bytes of one part of an object as it was
 * uploaded, which is how the AWS SDKs' and CRT's parallel downloads and {@code aws s3api get-object
 * --part-number} fetch a multipart object, one request per part. The part's place in the object
 * comes from the part sizes its sidecar kept at completion; an object written in one piece is its
 * own part 1.
 *
 * @param range the part's bytes within the object
 * @param partsCount the object's number of parts for {@code x-amz-mp-parts-count}; empty for an
 *     object not uploaded in parts, where S3 documents the header as absent
 */
record ObjectPart(ByteRange range, Optional<Integer> partsCount) {

  static final String PARTS_COUNT = "x-amz-mp-parts-count";

  /**
   * The part {@code partNumber} (the query value as sent) names, or empty when there is no
   * partNumber or it covers nothing to range over (part 1 of an empty object: answered whole).
   */
  static Optional<ObjectPart> resolve(String partNumber, String rangeHeader, StoredObject object) {
    if (partNumber == null) {
      return Optional.empty();
    }
    int number = parse(partNumber);
    if (rangeHeader != null) {
      throw S3Error.INVALID_REQUEST.exception(
          "Cannot specify both Range header and partNumber query parameter");
    }
    List<Long> sizes = object.partSizes();
    if (sizes == null || sizes.isEmpty()) {
      if (number != 1) {
        throw S3Error.INVALID_PART_NUMBER.exception();
      }
      return object.size() == 0
          ? Optional.empty()
          : Optional.of(new ObjectPart(new ByteRange(0, object.size() - 1), Optional.empty()));
    }
    if (number > sizes.size()) {
      throw S3Error.INVALID_PART_NUMBER.exception();
    }
    long first = 0;
    for (int i = 0; i < number - 1; i++) {
      first += sizes.get(i);
    }
    long size = sizes.get(number - 1);
    if (size == 0) {
      return Optional.empty(); // a last part of zero bytes: nothing a Content-Range can name
    }
    return Optional.of(
        new ObjectPart(new ByteRange(first, first + size - 1), Optional.of(sizes.size())));
  }

  private static int parse(String value) {
    try {
      int number = Integer.parseInt(value.trim());
      if (number >= 1 && number <= 10_000) {
        return number;
      }
    } catch (NumberFormatException e) {
      // answered below, as S3 answers any value it cannot take
    }
    throw S3Error.INVALID_ARGUMENT.exception("Part number must be an integer between 1 and 10000");
  }
}
