package io.shopstack.dns.resolver.iteration;

import io.netty.channel.IoOps;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/** An upstream query's socket on a NIO loop: a JDK datagram channel with the loop's selector. */
final class NioUpstreamSocket extends NioSelectableChannelIoHandle<DatagramChannel>
    implements UpstreamSocket {
  private final DatagramChannel socket;
  private final UpstreamDatagram exchange;

  private NioUpstreamSocket(DatagramChannel socket, UpstreamDatagram exchange) {
    super(socket);
    this.socket = socket;
    this.exchange = exchange;
  }

  static NioUpstreamSocket open(UpstreamDatagram.Request request, UpstreamDatagram exchange)
      throws IOException {
    ProtocolFamily family = request.family();
    DatagramChannel socket = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
    try {
      socket.configureBlocking(false);
      socket.bind(request.source());
      socket.connect(request.server());
    } catch (IOException | RuntimeException failed) {
      socket.close();
      throw failed;
    }
    return new NioUpstreamSocket(socket, exchange);
  }

  @Override
  public IoOps readable() {
    return NioIoOps.READ;
  }

  @Override
  public boolean send(ByteBuffer datagram) throws IOException {
    return socket.write(datagram) > 0;
  }

  @Override
  protected void handle(DatagramChannel channel, SelectionKey key) {
    ByteBuffer received = UpstreamDatagram.scratch();
    try {
      for (int read = 0; read < UpstreamDatagram.READS_PER_EVENT && !exchange.done(); read++) {
        received.clear();
        SocketAddress sender = channel.receive(received);
        if (sender == null) {
          return;
        }
        received.flip();
        exchange.received(received, (InetSocketAddress) sender);
      }
    } catch (IOException unreachable) {
      // A PortUnreachableException: the server is not there, fail now, not at the timeout.
      exchange.failed(unreachable);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // See UpstreamSocket.close: nothing to lose.
    }
  }
}
