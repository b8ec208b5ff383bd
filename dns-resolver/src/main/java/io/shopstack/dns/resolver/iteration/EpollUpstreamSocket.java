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
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream query's socket on a native epoll loop: Netty's native socket, registered with the
 * loop's epoll as it is. Level-triggered: a datagram left unread (more than {@link
 * UpstreamDatagram#READS_PER_EVENT} at once) is reported again at the next wait.
 *
 * <p>Datagrams are read with {@code read}, not {@code recvfrom}: the socket is connected, so the
 * kernel delivers only the server's datagrams, and the sender is the server (no address object is
 * made per datagram). An ICMP port unreachable makes the read fail with {@code ECONNREFUSED}, which
 * fails the query at once, as {@link NioUpstreamSocket} does.
 *
 * <p>Each loop thread keeps the next query's socket of each family made ahead, opened once the last
 * query's answer has gone out (when its socket closes): the {@code socket} call (about 5 us in the
 * kernel) and Netty's {@code getsockname} then are off the path from a client's query to ours. Only
 * the descriptor is made ahead: it is bound to a random port (the kernel's choice) and connected
 * when its query is sent, so no port is open before its query and no socket serves two queries. The
 * spares are closed when their loop's thread ends.
 */
final class EpollUpstreamSocket implements EpollIoHandle, UpstreamSocket {
  private static final AtomicInteger SPARES_OPEN = new AtomicInteger();

  /** Per loop thread: [0] the spare IPv4 socket, [1] the spare one of the default family. */
  private static final FastThreadLocal<DatagramSocket[]> SPARES =
      new FastThreadLocal<>() {
        @Override
        protected DatagramSocket[] initialValue() {
          return new DatagramSocket[2];
        }

        @Override
        protected void onRemoval(DatagramSocket[] spares) {
          for (DatagramSocket spare : spares) {
            if (spare != null) {
              closeQuietly(spare);
              SPARES_OPEN.decrementAndGet();
            }
          }
        }
      };

  private final DatagramSocket socket;
  private final boolean ipv4;
  private final UpstreamDatagram exchange;

  private EpollUpstreamSocket(DatagramSocket socket, boolean ipv4, UpstreamDatagram exchange) {
    this.socket = socket;
    this.ipv4 = ipv4;
    this.exchange = exchange;
  }

  static EpollUpstreamSocket open(UpstreamDatagram.Request request, UpstreamDatagram exchange)
      throws IOException {
    boolean ipv4 = request.family() == StandardProtocolFamily.INET;
    DatagramSocket socket = spareOrNew(ipv4);
    try {
      socket.bind(request.source());
      socket.connect(request.server());
    } catch (IOException | RuntimeException failed) {
      socket.close();
      throw failed;
    }
    return new EpollUpstreamSocket(socket, ipv4, exchange);
  }

  /** Spare sockets open now, all loop threads together. */
  static int sparesOpen() {
    return SPARES_OPEN.get();
  }

  private static DatagramSocket spareOrNew(boolean ipv4) {
    if (Thread.currentThread() instanceof FastThreadLocalThread) {
      DatagramSocket[] spares = SPARES.get();
      DatagramSocket spare = spares[ipv4 ? 0 : 1];
      if (spare != null) {
        spares[ipv4 ? 0 : 1] = null;
        SPARES_OPEN.decrementAndGet();
        return spare;
      }
    }
    return DatagramSocket.open(ipv4);
  }

  /** After a query's socket closed, on its loop's thread: the next query's socket. */
  private static void makeSpare(boolean ipv4) {
    // Only threads that clear their FastThreadLocals when they end (Netty's loops): a spare kept
    // by any other thread would never be closed.
    if (!(Thread.currentThread() instanceof FastThreadLocalThread thread)
        || !thread.willCleanupFastThreadLocals()) {
      return;
    }
    DatagramSocket[] spares = SPARES.get();
    if (spares[ipv4 ? 0 : 1] == null) {
      try {
        spares[ipv4 ? 0 : 1] = DatagramSocket.open(ipv4);
        SPARES_OPEN.incrementAndGet();
      } catch (RuntimeException noDescriptorLeft) {
        // The next query opens its own, and fails there if it must.
      }
    }
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
    closeQuietly(socket);
    makeSpare(ipv4);
  }

  private static void closeQuietly(DatagramSocket socket) {
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
