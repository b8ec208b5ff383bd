package io.shopstack.client.http;

import java.io.IOException;

/**
 * No TCP connection came up (refused, timed out, no route, source address unusable): the server
 * never saw the request, which a script handles differently from a bad answer.
 */
public final class ConnectFailure extends IOException {
  public ConnectFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
