package io.shopstack.objectstore.auth;

import io.shopstack.objectstore.system.S3Error;
import java.util.HexFormat;

/**
 * The chain of signatures over an aws-chunked body ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}):
 * each chunk is signed with the previous signature, starting from the request's own (the seed), so
 * a captured request cannot carry another body. The trailer, when there is one, closes the chain.
 * One instance per request, fed in body order.
 */
public final class ChunkSignatures {

  /** Request attribute under which the authenticated request leaves this for the body decoder. */
  public static final String ATTRIBUTE = ChunkSignatures.class.getName();

  private final byte[] signingKey;
  private final String amzDate;
  private final String scope;
  private String previous;

  ChunkSignatures(byte[] signingKey, String amzDate, String scope, String seedSignature) {
    this.signingKey = signingKey.clone();
    this.amzDate = amzDate;
    this.scope = scope;
    this.previous = seedSignature;
  }

  /** Checks one chunk's signature (the empty final chunk included) given its data's SHA-256. */
  public void verifyChunk(String claimed, byte[] dataSha256) {
    next(
        "AWS4-HMAC-SHA256-PAYLOAD",
        SigV4.EMPTY_SHA256 + "\n" + HexFormat.of().formatHex(dataSha256),
        claimed);
  }

  /** Checks {@code x-amz-trailer-signature} over the trailer lines ({@code name:value\n} each). */
  public void verifyTrailer(String claimed, String canonicalTrailers) {
    next("AWS4-HMAC-SHA256-TRAILER", SigV4.sha256Hex(canonicalTrailers), claimed);
  }

  private void next(String algorithm, String hashes, String claimed) {
    String expected =
        SigV4.sign(
            signingKey,
            algorithm + "\n" + amzDate + "\n" + scope + "\n" + previous + "\n" + hashes);
    if (!SigV4.same(expected, claimed)) {
      throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception(
          "The chunk signature does not match: the body is not the one that was signed");
    }
    previous = expected;
  }
}
