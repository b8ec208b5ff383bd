package io.shopstack.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connection whose client has half-closed is still written to, in several bursts each larger than
 * the socket buffers: the answer after a request that ended with FIN, as a proxy relays it. On
 * Netty's own epoll handler the second burst failed (see {@link EpollKeepingRegistration}).
 */
class EpollHalfCloseTest {
  private static final int BURST = 4 * 1024 * 1024;
  private static final int CHUNK = 64 * 1024;

  /** On the client's FIN, writes one burst, then a second once the first has left. */
  private static final class TwoBursts extends ChannelInboundHandlerAdapter {
    private final CountDownLatch secondStarted;

    TwoBursts(CountDownLatch secondStarted) {
      this.secondStarted = secondStarted;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        Channel channel = ctx.channel();
        burst(channel)
            .addListener(
                // As a task, not at once: by then the channel waits for nothing (no input, no
                // pending output), as a proxy's client does between two chunks of the answer.
                first ->
                    channel
                        .eventLoop()
                        .execute(
                            () -> {
                              var second = burst(channel);
                              secondStarted.countDown();
                              second.addListener(
                                  done -> ((DuplexChannel) channel).shutdownOutput());
                            }));
      }
      ctx.fireUserEventTriggered(event);
    }

    private static io.netty.channel.ChannelFuture burst(Channel channel) {
      for (int i = 1; i < BURST / CHUNK; i++) {
        channel.write(Unpooled.wrappedBuffer(new byte[CHUNK]));
      }
      return channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[CHUNK]));
    }
  }

  @Test
  void aHalfClosedConnectionTakesBurstAfterBurst() throws Exception {
    assertThat(Transport.nativeIfAvailable())
        .as("native epoll loads here")
        .isEqualTo(Transport.EPOLL);
    CountDownLatch secondStarted = new CountDownLatch(1);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, Transport.EPOLL.ioHandlerFactory());
    try {
      Channel listener =
          new ServerBootstrap()
              .group(group)
              .channel(Transport.EPOLL.serverChannel())
              .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
              .childOption(ChannelOption.AUTO_READ, false)
              .childOption(ChannelOption.SO_SNDBUF, CHUNK)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline().addLast(new TwoBursts(secondStarted));
                    }
                  })
              .bind(InetAddress.getLoopbackAddress(), 0)
              .sync()
              .channel();
      try (Socket client = new Socket()) {
        client.setReceiveBufferSize(CHUNK);
        client.connect(listener.localAddress(), 1000);
        client.setSoTimeout(10_000);
        client.shutdownOutput();
        InputStream in = client.getInputStream();
        long received = in.readNBytes(BURST).length;
        // The second burst must meet a full socket buffer, so read it only once it has begun.
        assertThat(secondStarted.await(10, TimeUnit.SECONDS)).isTrue();
        received += in.transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(received).isEqualTo(2L * BURST);
      } finally {
        listener.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
