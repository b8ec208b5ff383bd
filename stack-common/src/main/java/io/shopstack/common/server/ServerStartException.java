package io.shopstack.common.server;

/**
 * A server could not open one of its sockets. The message names the instance, the socket's purpose
 * and the address, which the bare {@code BindException} of the JDK ("Address already in use") does
 * not; the JDK's exception is the cause.
 */
public final class ServerStartException extends RuntimeException {
  ServerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
