package io.shopstack.client.http;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One request and its response over one TCP connection, with the connection's two ends: the local
 * address:port is what the SLB or edge saw as the client, the remote one is who answered.
 *
 * @param connect time to establish the TCP connection
 * @param firstByte from sending the request to the first response byte
 * @param total from starting to connect to the end of the response
 */
public record HttpExchange(
    HttpRequest request,
    HttpResponse response,
    InetSocketAddress local,
    InetSocketAddress remote,
    Duration connect,
    Duration firstByte,
    Duration total) {

  public int status() {
    return response.status();
  }

  public String header(String name) {
    return response.header(name);
  }
}
