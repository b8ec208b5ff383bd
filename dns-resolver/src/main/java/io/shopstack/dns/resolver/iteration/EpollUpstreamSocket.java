package io.shopstack.dns.resolver.iteration;

import io.netty.channel.IoEvent;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;

/**
 * An upstream query's socket on a native epoll loop: Netty's native socket, registered with the
 * loop's epoll as it is. Level-triggered: a datagram left unread (more than {@link
 * UpstreamDatagram#READS_PER_EVENT} at once) is reported again at the next wait.
 *
 * <p>Datagrams are read with {@code read}, not {@code recvfrom}: the socket is connected, so the
 * kernel delivers only the server's datagrams, and the sender is the server (no address object is
 * made per datagram). An ICMP port unreachable makes the read fail with {@code ECONNREFUSED}, which
 * fails the query at once, as {@link NioUpstreamSocket} does.
 */
final class EpollUpstreamSocket implements EpollIoHandle, UpstreamSocket {
  private final DatagramSocket socket;
  private final UpstreamDatagram exchange;

  private EpollUpstreamSocket(DatagramSocket socket, UpstreamDatagram exchange) {
    this.socket = socket;
    this.exchange = exchange;
  }

  static EpollUpstreamSocket open(UpstreamDatagram.Request request, UpstreamDatagram exchange)
      throws IOException {
    DatagramSocket socket = DatagramSocket.open(request.family() == StandardProtocolFamily.INET);
    try {
      socket.bind(request.source());
      socket.connect(request.server());
    } catch (IOException | RuntimeException failed) {
      socket.close();
      throw failed;
    }
    return new EpollUpstreamSocket(socket, exchange);
  }

  @Override
  public FileDescriptor fd() {
    return socket;
  }

  @Override
  public IoOps readable() {
    return EpollIoOps.EPOLLIN;
  }

  @Override
  public boolean send(ByteBuffer datagram) throws IOException {
    return socket.write(datagram, datagram.position(), datagram.limit()) > 0;
  }

  @Override
  public void handle(IoRegistration registration, IoEvent event) {
    ByteBuffer received = UpstreamDatagram.scratch();
    try {
      for (int read = 0; read < UpstreamDatagram.READS_PER_EVENT && !exchange.done(); read++) {
        int bytes = socket.read(received, 0, received.capacity());
        if (bytes == 0) {
          return; // EAGAIN: nothing more to read
        }
        // -1 is an empty datagram: it answers nothing, and the server is the only sender.
        received.clear().limit(Math.max(bytes, 0));
        exchange.received(received, exchange.server());
      }
    } catch (Errors.NativeIoException failed) {
      exchange.failed(
          failed.expectedErr() == Errors.ERROR_ECONNREFUSED_NEGATIVE
              ? new PortUnreachableException(failed.getMessage())
              : failed);
    } catch (IOException failed) {
      exchange.failed(failed);
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

  /** Netty's native socket, opened for IPv4 when asked (its public factory prefers IPv6). */
  private static final class DatagramSocket extends Socket {
    private DatagramSocket(int fd) {
      super(fd);
    }

    static DatagramSocket open(boolean ipv4) {
      return new DatagramSocket(
          ipv4 ? newSocketDgram0(SocketProtocolFamily.INET) : newSocketDgram0(isIPv6Preferred()));
    }
  }
}
