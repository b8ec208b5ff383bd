package io.shopstack.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.shopstack.common.testing.SystemCallTrace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closed connections leave the epoll set with their descriptor, without an {@code EPOLL_CTL_DEL}
 * each (see {@link EpollKeepingRegistration}), and closing the descriptor a moment before Netty
 * would closes it once: connections opened meanwhile, which reuse the numbers, live on.
 */
class EpollCloseTest {
  private EventLoopGroup group;
  private Channel listener;

  /** Answers each chunk with itself, then closes the connection from its side. */
  private static final class EchoOnceAndClose extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf chunk = (ByteBuf) msg;
      boolean last = chunk.getByte(chunk.writerIndex() - 1) == '.';
      var written = ctx.writeAndFlush(chunk);
      if (last) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  @BeforeEach
  void startEcho() throws InterruptedException {
    assertThat(Transport.nativeIfAvailable())
        .as("native epoll loads here")
        .isEqualTo(Transport.EPOLL);
    group = new MultiThreadIoEventLoopGroup(1, Transport.EPOLL.ioHandlerFactory());
    listener =
        new ServerBootstrap()
            .group(group)
            .channel(Transport.EPOLL.serverChannel())
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new EchoOnceAndClose());
                  }
                })
            .bind(InetAddress.getLoopbackAddress(), 0)
            .sync()
            .channel();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (listener != null) {
      listener.close().sync();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static String exchange(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    byte[] answer = socket.getInputStream().readNBytes(text.length());
    return new String(answer, StandardCharsets.US_ASCII);
  }

  /** One short connection, closed by the server: the answer, then the end of stream. */
  private static void shortConnection(SocketAddress address) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, 2000);
      socket.setSoTimeout(5000);
      assertThat(exchange(socket, "hello.")).isEqualTo("hello.");
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void closedConnectionsLeaveTheEpollSetWithoutEpollCtlDel(@TempDir Path dir) throws Exception {
    List<String> calls;
    try (SystemCallTrace trace =
        SystemCallTrace.ofThisJvm(dir.resolve("epoll_ctl.txt"), "epoll_ctl")) {
      for (int i = 0; i < 50; i++) {
        shortConnection(listener.localAddress());
      }
      calls = trace.stopAndRead();
    }
    long added = calls.stream().filter(line -> line.contains("EPOLL_CTL_ADD")).count();
    long removed = calls.stream().filter(line -> line.contains("EPOLL_CTL_DEL")).count();
    assertThat(added).as("every connection was added").isGreaterThanOrEqualTo(50);
    assertThat(removed).as("EPOLL_CTL_DEL calls:%n%s", String.join("\n", calls)).isZero();
  }

  @Test
  void closingEarlyClosesOnlyThatConnection() throws Exception {
    SocketAddress address = listener.localAddress();
    List<Socket> longLived = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 8; i++) {
        Socket socket = new Socket();
        socket.connect(address, 2000);
        socket.setSoTimeout(5000);
        longLived.add(socket);
      }
      // Four clients open and close 300 connections each while the long-lived ones wait: the
      // server closes each short one, and new ones get the numbers just freed.
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        done.add(
            clients.submit(
                () -> {
                  for (int i = 0; i < 300; i++) {
                    shortConnection(address);
                  }
                  return null;
                }));
      }
      for (Future<?> client : done) {
        client.get(60, TimeUnit.SECONDS);
      }
      for (Socket socket : longLived) {
        assertThat(exchange(socket, "still there")).isEqualTo("still there");
      }
    } finally {
      clients.shutdownNow();
      for (Socket socket : longLived) {
        socket.close();
      }
    }
  }
}
