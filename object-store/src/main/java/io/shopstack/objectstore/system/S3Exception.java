package io.shopstack.objectstore.system;

/** A request the store refuses, answered as an S3 {@code <Error>} document by S3ErrorAdvice. */
public class S3Exception extends RuntimeException {

  private final S3Error error;

  S3Exception(S3Error error, String message) {
    super(message);
    this.error = error;
  }

  public S3Error error() {
    return error;
  }
}
