package io.shopstack.client.http;

import java.io.IOException;

/** The peer sent something that is not a well-formed HTTP/1.1 response; the message says what. */
public final class MalformedResponseException extends IOException {
  public MalformedResponseException(String message) {
    super(message);
  }
}
