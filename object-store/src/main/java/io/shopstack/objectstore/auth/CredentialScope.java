package io.shopstack.objectstore.auth;

import io.shopstack.objectstore.system.S3Error;
import io.shopstack.objectstore.system.S3Exception;

/**
 * The {@code Credential=AKID/20260101/us-east-1/s3/aws4_request} part of a signature: which key
 * signed, and for which day, region and service the signing key was derived.
 */
record CredentialScope(String accessKey, String date, String region, String service) {

  static CredentialScope parse(String credential, S3Error malformed) {
    String[] parts = credential == null ? new String[0] : credential.split("/", -1);
    if (parts.length != 5
        || parts[0].isEmpty()
        || !parts[1].matches("\\d{8}")
        || parts[2].isEmpty()
        || !"aws4_request".equals(parts[4])) {
      throw refusal(malformed, "Malformed credential: " + credential);
    }
    if (!"s3".equals(parts[3])) {
      throw refusal(malformed, "The credential must name the service 's3', not " + parts[3]);
    }
    return new CredentialScope(parts[0], parts[1], parts[2], parts[3]);
  }

  /** The scope as it appears in the string to sign: without the access key. */
  String scope() {
    return date + "/" + region + "/" + service + "/aws4_request";
  }

  private static S3Exception refusal(S3Error error, String message) {
    return error.exception(message);
  }
}
