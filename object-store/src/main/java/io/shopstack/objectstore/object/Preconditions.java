package io.shopstack.objectstore.object;

import io.shopstack.objectstore.storage.StoredObject;
import io.shopstack.objectstore.system.S3Error;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Conditional GET/HEAD in RFC 9110 §13.2.2 order, which is what the CDN edges rely on when they
 * revalidate: If-Match, else If-Unmodified-Since (412); If-None-Match, else If-Modified-Since
 * (304). S3 differs in one corner (it answers 304 when If-None-Match fails but If-Modified-Since
 * holds); the RFC order is kept because caches are the clients here.
 */
public final class Preconditions {

  enum Outcome {
    PROCEED,
    NOT_MODIFIED
  }

  private Preconditions() {}

  static Outcome evaluate(
      StoredObject object,
      String ifMatch,
      String ifUnmodifiedSince,
      String ifNoneMatch,
      String ifModifiedSince) {
    Instant modified = object.lastModified().truncatedTo(ChronoUnit.SECONDS);
    if (ifMatch != null) {
      if (!matches(ifMatch, object.etag())) {
        throw S3Error.PRECONDITION_FAILED.exception();
      }
    } else if (ifUnmodifiedSince != null) {
      Instant since = httpDate(ifUnmodifiedSince);
      if (since != null && modified.isAfter(since)) {
        throw S3Error.PRECONDITION_FAILED.exception();
      }
    }
    if (ifNoneMatch != null) {
      return matches(ifNoneMatch, object.etag()) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
    }
    if (ifModifiedSince != null) {
      Instant since = httpDate(ifModifiedSince);
      if (since != null && !modified.isAfter(since)) {
        return Outcome.NOT_MODIFIED;
      }
    }
    return Outcome.PROCEED;
  }

  /**
   * Conditional writes (PUT, DELETE): {@code If-None-Match: *} means "only if absent", {@code
   * If-Match} "only if this version is current"; S3 answers 412 otherwise, and 404 NoSuchKey for an
   * If-Match on a key that does not exist.
   */
  public static Consumer<Optional<StoredObject>> write(String ifMatch, String ifNoneMatch) {
    return current -> {
      if (ifNoneMatch != null && ifNoneMatch.trim().equals("*") && current.isPresent()) {
        throw S3Error.PRECONDITION_FAILED.exception("The object already exists (If-None-Match: *)");
      }
      if (ifMatch != null) {
        if (current.isEmpty()) {
          throw S3Error.NO_SUCH_KEY.exception("The specified key does not exist (If-Match)");
        }
        if (!matches(ifMatch, current.get().etag())) {
          throw S3Error.PRECONDITION_FAILED.exception("The object's ETag does not match If-Match");
        }
      }
    };
  }

  /** Whether If-Range lets the Range through: it must name this exact version. */
  static boolean rangeApplies(StoredObject object, String ifRange) {
    if (ifRange == null) {
      return true;
    }
    String value = ifRange.trim();
    if (value.startsWith("\"")) {
      return value.equals(object.etag());
    }
    Instant date = httpDate(value);
    return date != null && date.equals(object.lastModified().truncatedTo(ChronoUnit.SECONDS));
  }

  /** Weak comparison, as If-None-Match uses; S3 ETags are strong, so W/ only gets stripped. */
  public static boolean matches(String header, String etag) {
    for (String candidate : header.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || stripWeak(tag).equals(etag) || tag.equals(etag.replace("\"", ""))) {
        return true;
      }
    }
    return false;
  }

  private static String stripWeak(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  /** An unparseable date makes the condition void (RFC 9110 §13.1.3), so null. */
  public static Instant httpDate(String value) {
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
