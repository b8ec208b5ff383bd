package io.shopstack.objectstore.system;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the store refuses, answered as an S3 {@code <Error>} document by S3ErrorAdvice. Some of
 * S3's refusals name more than Code and Message (InvalidPart: the upload, the part number and the
 * ETag it could not match); those elements are added with {@link #with} in the order S3 writes
 * them, and the advice writes them after the Message.
 */
public class S3Exception extends RuntimeException {

  private final S3Error error;
  private final Map<String, String> elements = new LinkedHashMap<>();

  S3Exception(S3Error error, String message) {
    super(message);
    this.error = error;
  }

  public S3Error error() {
    return error;
  }

  /** Adds {@code <name>value</name>} to the error document (an empty value is an empty element). */
  public S3Exception with(String name, Object value) {
    elements.put(name, String.valueOf(value));
    return this;
  }

  /** The extra elements, in the order they were added. */
  public Map<String, String> elements() {
    return Collections.unmodifiableMap(elements);
  }
}
