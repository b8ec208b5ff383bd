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

  public OriginException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
