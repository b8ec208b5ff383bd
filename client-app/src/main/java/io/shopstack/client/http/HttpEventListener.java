package io.shopstack.client.http;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Hears each phase of an exchange as it happens, so the journey can print the TCP connection before
 * the response arrives (and a hanging server is visibly the one that was connected to).
 */
public interface HttpEventListener {
  HttpEventListener NONE = new HttpEventListener() {};

  default void connecting(InetSocketAddress remote) {}

  default void connected(InetSocketAddress local, InetSocketAddress remote, Duration took) {}

  default void requestSent(HttpRequest request) {}
}
