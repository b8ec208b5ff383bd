package io.shopstack.slb.operations;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the SLB's listening sockets to the SLB that replaces it, HAProxy's {@code -x} with its
 * {@code _getsocks} command on the stats socket: the new process asks the old one's Unix runtime
 * API, receives every listening descriptor (SCM_RIGHTS) and accepts on the very same sockets. Both
 * accept from them until the old one stops; the sockets stay open in the new one when the old one
 * closes its copies, so no client waiting in an accept queue is reset, as it is when each process
 * binds a socket of its own beside the other (SO_REUSEPORT) and the old one's closes with clients
 * still queued. Epoll only: SCM_RIGHTS needs the native transport.
 */
public final class ListenerHandover {
  private static final Logger log = LoggerFactory.getLogger(ListenerHandover.class);
  static final String COMMAND = "_getsocks";

  private ListenerHandover() {}

  /**
   * The old side, on a Unix runtime API socket of level admin: sends every listening socket's
   * descriptor, then closes the connection.
   */
  static void handOver(ChannelHandlerContext ctx, Supplier<List<Channel>> listeners) {
    int sent = 0;
    for (Channel listener : listeners.get()) {
      if (listener instanceof UnixChannel unix && listener.isOpen()) {
        ctx.write(new FileDescriptor(unix.fd().intValue()));
        sent++;
      }
    }
    log.info("{} listening sockets handed over on the runtime API", sent);
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * The new side: the listening descriptors of the SLB whose runtime API is at {@code socket}, now
   * also this process's.
   *
   * @throws IllegalStateException when nothing answers there in {@code timeout}
   */
  public static List<Integer> take(Path socket, Duration timeout) throws InterruptedException {
    List<Integer> received = Collections.synchronizedList(new ArrayList<>());
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      Bootstrap bootstrap =
          new Bootstrap()
              .group(loop)
              .channel(EpollDomainSocketChannel.class)
              .option(
                  EpollChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      if (msg instanceof FileDescriptor descriptor) {
                        received.add(descriptor.intValue());
                      } else {
                        ReferenceCountUtil.release(msg);
                      }
                    }
                  });
      var connected = bootstrap.connect(new DomainSocketAddress(socket.toString())).await();
      if (!connected.isSuccess()) {
        throw new IllegalStateException(
            "cannot take the listeners of the SLB at "
                + socket
                + ": "
                + connected.cause().getMessage(),
            connected.cause());
      }
      Channel channel = connected.channel();
      channel.writeAndFlush(Unpooled.copiedBuffer(COMMAND + "\n", StandardCharsets.US_ASCII));
      if (!channel.closeFuture().await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        channel.close();
        throw new IllegalStateException(
            "the SLB at "
                + socket
                + " did not hand its listeners over within "
                + timeout
                + " (only a runtime API of level admin does)");
      }
      return List.copyOf(received);
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
