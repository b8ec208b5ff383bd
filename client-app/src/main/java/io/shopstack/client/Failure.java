package io.shopstack.client;

import io.shopstack.client.http.ConnectFailure;
import java.io.IOException;

/**
 * What failed, by layer, each with the exit code a script sees: the first failure of a run decides
 * it. Besides these, 0 means everything worked, 1 an error of the app itself and 2 a wrong command
 * line (picocli's convention).
 */
public enum Failure {
  /** The resolver did not answer, or the name did not resolve (rcode, no address). */
  DNS(3),
  /** No TCP connection to the server (refused, timed out, no route). */
  CONNECT(4),
  /** Connected, but no complete well-formed response, or not the status expected. */
  HTTP(5),
  /** The servers answered, but not what the journey checks (a reload that is no HIT...). */
  CHECK(6);

  public static final int OK = 0;
  public static final int INTERNAL = 1;
  public static final int USAGE = 2;

  private final int exitCode;

  Failure(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** The layer of a failed HTTP exchange: connecting, or what came after. */
  public static Failure ofExchange(IOException e) {
    return e instanceof ConnectFailure ? CONNECT : HTTP;
  }
}
