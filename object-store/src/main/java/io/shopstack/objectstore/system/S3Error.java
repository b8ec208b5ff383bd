package io.shopstack.objectstore.system;

import org.springframework.http.HttpStatus;

/** The S3 error codes this store answers with, each with the status S3 pairs it with. */
public enum S3Error {
  NO_SUCH_BUCKET("NoSuchBucket", HttpStatus.NOT_FOUND, "The specified bucket does not exist"),
  NO_SUCH_KEY("NoSuchKey", HttpStatus.NOT_FOUND, "The specified key does not exist."),
  BUCKET_ALREADY_OWNED_BY_YOU(
      "BucketAlreadyOwnedByYou",
      HttpStatus.CONFLICT,
      "Your previous request to create the named bucket succeeded and you already own it."),
  BUCKET_NOT_EMPTY(
      "BucketNotEmpty", HttpStatus.CONFLICT, "The bucket you tried to delete is not empty"),
  INVALID_BUCKET_NAME(
      "InvalidBucketName", HttpStatus.BAD_REQUEST, "The specified bucket is not valid."),
  INVALID_ARGUMENT("InvalidArgument", HttpStatus.BAD_REQUEST, "Invalid Argument"),
  KEY_TOO_LONG("KeyTooLongError", HttpStatus.BAD_REQUEST, "Your key is too long"),
  ENTITY_TOO_LARGE(
      "EntityTooLarge",
      HttpStatus.PAYLOAD_TOO_LARGE,
      "Your proposed upload exceeds the maximum allowed object size."),
  INCOMPLETE_BODY(
      "IncompleteBody",
      HttpStatus.BAD_REQUEST,
      "You did not provide the number of bytes specified by the Content-Length HTTP header"),
  BAD_DIGEST(
      "BadDigest",
      HttpStatus.BAD_REQUEST,
      "The checksum you specified did not match what we received."),
  INVALID_REQUEST("InvalidRequest", HttpStatus.BAD_REQUEST, "Invalid Request"),
  INVALID_RANGE(
      "InvalidRange",
      HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
      "The requested range is not" + " satisfiable"),
  PRECONDITION_FAILED(
      "PreconditionFailed",
      HttpStatus.PRECONDITION_FAILED,
      "At least one of the pre-conditions you specified did not hold"),
  METHOD_NOT_ALLOWED(
      "MethodNotAllowed",
      HttpStatus.METHOD_NOT_ALLOWED,
      "The specified method is not allowed against this resource."),
  NOT_IMPLEMENTED(
      "NotImplemented",
      HttpStatus.NOT_IMPLEMENTED,
      "A header or query you provided implies functionality that is not implemented"),
  INTERNAL_ERROR(
      "InternalError",
      HttpStatus.INTERNAL_SERVER_ERROR,
      "We encountered an internal error. Please try again.");

  private final String code;
  private final HttpStatus status;
  private final String message;

  S3Error(String code, HttpStatus status, String message) {
    this.code = code;
    this.status = status;
    this.message = message;
  }

  public String code() {
    return code;
  }

  public HttpStatus status() {
    return status;
  }

  public String message() {
    return message;
  }

  public S3Exception exception() {
    return new S3Exception(this, message);
  }

  public S3Exception exception(String detail) {
    return new S3Exception(this, detail);
  }
}
