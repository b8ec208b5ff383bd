package io.shopstack.objectstore.sendfile;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A plain HTTP connector whose connections are SendfileEndPoints. */
final class SendfileConnector extends ServerConnector {

  private SendfileConnector(ServerConnector like) {
    super(
        like.getServer(),
        like.getExecutor(),
        like.getScheduler(),
        like.getByteBufferPool(),
        like.getAcceptors(),
        like.getSelectorManager().getSelectorCount(),
        like.getConnectionFactories().toArray(new ConnectionFactory[0]));
    setHost(like.getHost());
    setPort(like.getPort());
    setIdleTimeout(like.getIdleTimeout());
    setAcceptQueueSize(like.getAcceptQueueSize());
    setReuseAddress(like.getReuseAddress());
    setAcceptedTcpNoDelay(like.getAcceptedTcpNoDelay());
    setAcceptedReceiveBufferSize(like.getAcceptedReceiveBufferSize());
    setAcceptedSendBufferSize(like.getAcceptedSendBufferSize());
    setName(like.getName());
  }

  /**
   * Replaces the server's plain HTTP connectors (as Spring Boot configured them) by sendfile-able
   * ones, before the server starts. Encrypted connectors are left alone: TLS cannot sendfile.
   */
  static void install(Server server) {
    for (var connector : server.getConnectors()) {
      if (connector instanceof ServerConnector plain
          && !(connector instanceof SendfileConnector)
          && plain.getDefaultProtocol().startsWith("HTTP/")) {
        server.removeConnector(plain);
        server.addConnector(new SendfileConnector(plain));
      }
    }
  }

  @Override
  protected SocketChannelEndPoint newEndPoint(
      SocketChannel channel, ManagedSelector selector, SelectionKey key) throws IOException {
    SendfileEndPoint endPoint = new SendfileEndPoint(channel, selector, key, getScheduler());
    endPoint.setIdleTimeout(getIdleTimeout());
    return endPoint;
  }
}
