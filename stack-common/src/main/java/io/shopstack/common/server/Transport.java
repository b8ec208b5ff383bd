package io.shopstack.common.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
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
 * fetch, a backend connect) takes its channel type from here too. Native epoll is a later change of
 * {@link #preferred()}.
 */
public enum Transport {
  NIO(
      NioIoHandler::newFactory,
      NioServerSocketChannel.class,
      NioSocketChannel.class,
      NioDatagramChannel.class);

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
