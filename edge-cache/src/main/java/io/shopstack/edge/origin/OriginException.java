package io.shopstack.edge.origin;

/** Why an origin fetch failed; the kind decides between 502 and 504 for the client. */
public final class OriginException extends RuntimeException {
  /** What went wrong, in the words a gateway uses. */
  public enum Kind {
    /** Refused, reset, or closed without an answer: 502. */
    UNREACHABLE,
    /** No connection or no complete answer in time: 504. */
    TIMEOUT,
    /** The origin answered, but not with something we can relay: 502. */
    BAD_RESPONSE
  }

  private final Kind kind;
  private final boolean retryable;

  public OriginException(Kind kind, String message, Throwable cause) {
    this(kind, message, cause, false);
  }

  private OriginException(Kind kind, String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.kind = kind;
    this.retryable = retryable;
  }

  /** The same failure, marked as one on a reused connection before the origin sent a byte. */
  OriginException asRetryable() {
    return new OriginException(kind, getMessage(), getCause(), kind != Kind.TIMEOUT);
  }

  /** Whether sending the request again on a new connection is safe and may succeed. */
  boolean retryable() {
    return retryable;
  }

  public Kind kind() {
    return kind;
  }
}
