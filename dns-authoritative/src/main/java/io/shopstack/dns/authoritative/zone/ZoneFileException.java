package io.shopstack.dns.authoritative.zone;

/**
 * A zone file that cannot be served. The message names the file and, where the parser knows it, the
 * line, like {@code named-checkzone} does, so an operator can go straight to the mistake.
 */
public final class ZoneFileException extends RuntimeException {
  public ZoneFileException(String message) {
    super(message);
  }

  public ZoneFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
