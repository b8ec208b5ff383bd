package io.shopstack.objectstore.system;

import org.springframework.http.HttpStatus;

/** The S3 error codes this store answers with, each with the status S3 pairs it with. */
public enum S3Error {
  NO_SUCH_BUCKET("NoSuchBucket", HttpStatus.NOT_FOUND, "The specified bucket does not exist"),
  NO_SUCH_KEY("NoSuchKey", HttpStatus.NOT_FOUND, "The specified key does not exist."),
  NO_SUCH_VERSION(
      "NoSuchVersion",
      HttpStatus.NOT_FOUND,
      "The version ID specified in the request does not match an existing version."),
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
  ACCESS_DENIED("AccessDenied", HttpStatus.FORBIDDEN, "Access Denied"),
  INVALID_ACCESS_KEY_ID(
      "InvalidAccessKeyId",
      HttpStatus.FORBIDDEN,
      "The AWS access key Id you provided does not exist in our records."),
  SIGNATURE_DOES_NOT_MATCH(
      "SignatureDoesNotMatch",
      HttpStatus.FORBIDDEN,
      "The request signature we calculated does not match the signature you provided. Check your"
          + " key and signing method."),
  REQUEST_TIME_TOO_SKEWED(
      "RequestTimeTooSkewed",
      HttpStatus.FORBIDDEN,
      "The difference between the request time and the current time is too large."),
  AUTHORIZATION_HEADER_MALFORMED(
      "AuthorizationHeaderMalformed",
      HttpStatus.BAD_REQUEST,
      "The authorization header is malformed."),
  AUTHORIZATION_QUERY_PARAMETERS_ERROR(
      "AuthorizationQueryParametersError",
      HttpStatus.BAD_REQUEST,
      "Error parsing the X-Amz-Credential parameter."),
  CONTENT_SHA256_MISMATCH(
      "XAmzContentSHA256Mismatch",
      HttpStatus.BAD_REQUEST,
      "The provided 'x-amz-content-sha256' header does not match what was computed."),
  MISSING_CONTENT_LENGTH(
      "MissingContentLength",
      HttpStatus.LENGTH_REQUIRED,
      "You must provide the Content-Length HTTP header."),
  NO_SUCH_CORS_CONFIGURATION(
      "NoSuchCORSConfiguration", HttpStatus.NOT_FOUND, "The CORS configuration does not exist"),
  NO_SUCH_LIFECYCLE_CONFIGURATION(
      "NoSuchLifecycleConfiguration",
      HttpStatus.NOT_FOUND,
      "The lifecycle configuration does not exist"),
  NO_SUCH_BUCKET_POLICY(
      "NoSuchBucketPolicy", HttpStatus.NOT_FOUND, "The bucket policy does not exist"),
  NO_SUCH_TAG_SET("NoSuchTagSet", HttpStatus.NOT_FOUND, "The TagSet does not exist"),
  NO_SUCH_WEBSITE_CONFIGURATION(
      "NoSuchWebsiteConfiguration",
      HttpStatus.NOT_FOUND,
      "The specified bucket does not have a website configuration"),
  NO_SUCH_ENCRYPTION_CONFIGURATION(
      "ServerSideEncryptionConfigurationNotFoundError",
      HttpStatus.NOT_FOUND,
      "The server side encryption configuration was not found"),
  NO_SUCH_UPLOAD(
      "NoSuchUpload",
      HttpStatus.NOT_FOUND,
      "The specified multipart upload does not exist. The upload ID might be invalid, or the"
          + " multipart upload might have been aborted or completed."),
  INVALID_PART(
      "InvalidPart",
      HttpStatus.BAD_REQUEST,
      // as S3 sends it (two spaces included); the API Reference's wording differs
      "One or more of the specified parts could not be found.  The part may not have been"
          + " uploaded, or the specified entity tag may not match the part's entity tag."),
  INVALID_PART_NUMBER(
      "InvalidPartNumber",
      HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
      "The requested partnumber is not satisfiable"),
  INVALID_PART_ORDER(
      "InvalidPartOrder",
      HttpStatus.BAD_REQUEST,
      "The list of parts was not in ascending order. The parts list must be specified in order"
          + " by part number."),
  ENTITY_TOO_SMALL(
      "EntityTooSmall",
      HttpStatus.BAD_REQUEST,
      // as S3 sends it; the API Reference's wording ("... object size.") differs
      "Your proposed upload is smaller than the minimum allowed size"),
  MALFORMED_XML(
      "MalformedXML",
      HttpStatus.BAD_REQUEST,
      "The XML you provided was not well-formed or did not validate against our published"
          + " schema."),
  BAD_REQUEST(
      "BadRequest", HttpStatus.BAD_REQUEST, "An error occurred when parsing the HTTP request"),
  INVALID_URI("InvalidURI", HttpStatus.BAD_REQUEST, "Couldn't parse the specified URI"),
  REQUEST_HEADER_SECTION_TOO_LARGE(
      "RequestHeaderSectionTooLarge",
      HttpStatus.BAD_REQUEST,
      "Your request header section exceeds the maximum allowed size."),
  ACCESS_CONTROL_LIST_NOT_SUPPORTED(
      "AccessControlListNotSupported", HttpStatus.BAD_REQUEST, "The bucket does not allow ACLs"),
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
