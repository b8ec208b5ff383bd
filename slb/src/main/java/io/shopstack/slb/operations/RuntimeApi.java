package io.shopstack.slb.operations;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.shopstack.common.server.ServerLifecycle;
import io.shopstack.common.server.ShutdownRequested;
import io.shopstack.common.server.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAProxy's runtime API ({@code stats socket ... level admin}) for the SLB: a TCP socket meant for
 * loopback, or a Unix socket (file permissions guard it), taking one command a line and answering
 * each (see {@link RuntimeCommands}), so a backend can be added, removed, drained or re-weighted,
 * and the file reloaded, without a restart. Commands run one at a time on a thread of their own: a
 * reload reading its file never holds up the data path, and two operators never interleave changes.
 * The connection closes when the client has sent all it had (its FIN), as with {@code socat}, or
 * when the SLB stops.
 */
public final class RuntimeApi {
  private static final Logger log = LoggerFactory.getLogger(RuntimeApi.class);
  private static final int MAX_LINE = 1024;

  private final RuntimeCommands commands;
  private final Supplier<List<Channel>> listeners;
  private Channel listener;
  private RuntimeSocketPath path;

  /**
   * @param changes each running frontend's changes by its name, in configuration order, asked per
   *     command
   * @param reload null when the SLB was started without a file to read again
   * @param listeners the SLB's listening sockets, handed over on {@code _getsocks}
   * @param level what this socket's clients may do (HAProxy's {@code level})
   */
  public RuntimeApi(
      Supplier<Map<String, BackendChanges>> changes,
      ConfigReload reload,
      Supplier<List<Channel>> listeners,
      RuntimeLevel level) {
    this.commands = new RuntimeCommands(changes, reload, level);
    this.listeners = listeners;
  }

  /** Binds {@code address} as part of {@code server}; returns once it accepts commands. */
  public RuntimeApi start(ServerLifecycle server, InetSocketAddress address)
      throws InterruptedException {
    listener =
        server.bind(
            "runtime API",
            bootstrap(server, new ReflectiveChannelFactory<>(server.transport().serverChannel())),
            address);
    log.info(
        "{} runtime API on {}, level {}",
        server.instance(),
        listener.localAddress(),
        commands.level().label());
    return this;
  }

  /**
   * Binds a Unix socket as part of {@code server} and publishes it at {@code published} (see {@link
   * RuntimeSocketPath}); returns once it accepts commands. Epoll only.
   *
   * @throws IllegalStateException when another SLB answers at {@code published} and this one is not
   *     taking its place ({@code replacing} false), or without native epoll
   */
  public RuntimeApi start(ServerLifecycle server, Path published, boolean replacing)
      throws InterruptedException {
    if (server.transport() != Transport.EPOLL) {
      throw new IllegalStateException(
          "a runtime API on a Unix socket needs native epoll; the SLB runs on "
              + server.transport());
    }
    if (!replacing && RuntimeSocketPath.answering(published)) {
      throw new IllegalStateException(
          "an SLB already answers on "
              + published
              + "; stop it, or take its place with --listeners-from="
              + published);
    }
    path = RuntimeSocketPath.beside(published);
    ServerBootstrap bootstrap = bootstrap(server, EpollServerDomainSocketChannel::new);
    listener =
        server.bind("runtime API", bootstrap, new DomainSocketAddress(path.own().toString()));
    path.publish();
    server.track((AutoCloseable) path::withdraw);
    log.info(
        "{} runtime API on unix:{} ({}), level {}",
        server.instance(),
        published,
        path.own(),
        commands.level().label());
    return this;
  }

  private ServerBootstrap bootstrap(
      ServerLifecycle server, ChannelFactory<? extends ServerChannel> listeners) {
    ExecutorService worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, server.instance() + "-runtime-api");
              t.setDaemon(true);
              return t;
            });
    server.track((AutoCloseable) worker::shutdownNow);
    EventLoopGroup loop = server.eventLoops("runtime-api", 1);
    Session session = new Session(worker);
    return server
        .serverBootstrap(loop, loop, listeners)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast(
                        new LineBasedFrameDecoder(MAX_LINE, true, true),
                        new StringDecoder(StandardCharsets.UTF_8),
                        new StringEncoder(StandardCharsets.UTF_8),
                        session);
              }
            });
  }

  /** Where it listens, with the actual port when port 0 was configured; null on a Unix socket. */
  public InetSocketAddress address() {
    return listener.localAddress() instanceof InetSocketAddress inet ? inet : null;
  }

  /** Each line of every connection, in turn on the one command thread. */
  @Sharable
  private final class Session extends SimpleChannelInboundHandler<String> {
    private final ExecutorService worker;

    Session(ExecutorService worker) {
      this.worker = worker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
      if (line.trim().equals(ListenerHandover.COMMAND)
          && commands.level() == RuntimeLevel.ADMIN
          && ctx.channel() instanceof DomainSocketChannel) {
        ListenerHandover.handOver(ctx, listeners);
        return;
      }
      String by = "runtime API " + ctx.channel().remoteAddress();
      worker.execute(() -> ctx.writeAndFlush(commands.run(line, by)));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        // After the answers to what it sent: they are queued on the command thread before this.
        worker.execute(
            () ->
                ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE));
      } else if (event == ShutdownRequested.INSTANCE) {
        ctx.close();
      } else {
        ctx.fireUserEventTriggered(event);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof TooLongFrameException) {
        ctx.writeAndFlush("error: line longer than " + MAX_LINE + " bytes\n\n")
            .addListener(ChannelFutureListener.CLOSE);
      } else {
        ctx.close();
      }
    }
  }
}
