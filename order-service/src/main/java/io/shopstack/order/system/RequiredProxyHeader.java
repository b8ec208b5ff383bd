package io.shopstack.order.system;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ProxyConnectionFactory;

/**
 * Jetty's PROXY protocol parser (v1 and v2), made mandatory the way HAProxy's {@code accept-proxy}
 * is: Jetty on its own lets a connection without the header through as plain HTTP, which would
 * store the SLB's address, or whoever bypassed it, as the client's. Here such a connection is
 * closed before a byte of HTTP is read.
 */
final class RequiredProxyHeader extends ProxyConnectionFactory {

  @Override
  protected void nextProtocol(Connector connector, EndPoint endPoint, ByteBuffer buffer) {
    // Called only when neither PROXY version was recognised; Jetty closes the connection on this.
    throw new IllegalStateException(
        "connection from " + endPoint.getRemoteSocketAddress() + " sent no PROXY protocol header");
  }
}
