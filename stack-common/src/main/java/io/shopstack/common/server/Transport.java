package io.shopstack.common.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.function.Supplier;

/**
 * The I/O transport every Netty service runs on. Event loops and the channels registered on them
 * must agree, so the choice lives here once: a service that opens an outgoing connection (an origin
 * fetch, a backend connect) takes its channel type from here too. {@link #preferred()} is NIO for
 * every service; a service that wants native epoll asks for {@link #nativeIfAvailable()} and ships
 * the native library.
 */
public enum Transport {
  NIO(
      NioIoHandler::newFactory,
      NioServerSocketChannel.class,
      NioSocketChannel.class,
      NioDatagramChannel.class),
  /**
   * Linux native epoll: fewer copies and syscalls than NIO, and SO_REUSEPORT. Netty's handler is
   * wrapped so that half-closed connections keep working ({@link EpollKeepingRegistration}), and
   * its listening sockets are {@link EpollListener}s, whose clients read no socket option Netty's
   * would.
   */
  EPOLL(
      EpollKeepingRegistration::factory,
      EpollListener.class,
      EpollSocketChannel.class,
      EpollDatagramChannel.class);

  private final Supplier<IoHandlerFactory> ioHandlers;
  private final Class<? extends ServerChannel> serverChannel;
  private final Class<? extends SocketChannel> socketChannel;
  private final Class<? extends DatagramChannel> datagramChannel;

  Transport(
      Supplier<IoHandlerFactory> ioHandlers,
      Class<? extends ServerChannel> serverChannel,
      Class<? extends SocketChannel> socketChannel,
      Class<? extends DatagramChannel> datagramChannel) {
    this.ioHandlers = ioHandlers;
    this.serverChannel = serverChannel;
    this.socketChannel = socketChannel;
    this.datagramChannel = datagramChannel;
  }

  /** The transport servers use unless told otherwise. */
  public static Transport preferred() {
    return NIO;
  }

  /**
   * Epoll when its native library is on the class path and loads on this system, NIO otherwise;
   * {@link #unavailabilityCause()} says why not, for the start-up log line.
   */
  public static Transport nativeIfAvailable() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /**
   * A service's configured {@code transport}: blank means {@code auto}; anything but {@code auto},
   * {@code epoll} or {@code nio} is refused at start.
   */
  public static String checkedName(String name) {
    String checked = name == null || name.isBlank() ? "auto" : name.trim();
    if (!checked.equals("auto") && !checked.equals("epoll") && !checked.equals("nio")) {
      throw new IllegalArgumentException(
          "transport must be auto, epoll or nio, got '" + checked + "'");
    }
    return checked;
  }

  /**
   * The transport a {@link #checkedName checked name} asks for: {@code auto} resolved against this
   * system; {@code epoll} refused when it cannot load here, rather than quietly running on NIO.
   */
  public static Transport named(String name, String owner) {
    return switch (checkedName(name)) {
      case "nio" -> NIO;
      case "epoll" -> {
        if (nativeIfAvailable() != EPOLL) {
          throw new IllegalStateException(
              owner + ": transport epoll asked for but unavailable: " + unavailabilityCause());
        }
        yield EPOLL;
      }
      default -> nativeIfAvailable();
    };
  }

  /** Why native epoll cannot be used here, or null when it can. */
  public static Throwable unavailabilityCause() {
    return Epoll.unavailabilityCause();
  }

  public IoHandlerFactory ioHandlerFactory() {
    return ioHandlers.get();
  }

  public Class<? extends ServerChannel> serverChannel() {
    return serverChannel;
  }

  public Class<? extends SocketChannel> socketChannel() {
    return socketChannel;
  }

  public Class<? extends DatagramChannel> datagramChannel() {
    return datagramChannel;
  }
}
