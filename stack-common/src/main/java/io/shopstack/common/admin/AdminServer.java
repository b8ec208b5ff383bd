package io.shopstack.common.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port every Netty service opens (9901 by convention): {@code GET /health} for Docker
 * healthchecks and load balancers, {@code GET /metrics} for Prometheus. It runs on its own single
 * thread so a busy data path never makes a service look dead. A service may add {@code POST}
 * actions of its own ({@link AdminAction}); they run on a separate thread for the same reason.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  private final InetSocketAddress bind;
  private final AdminHandler handler;
  private final ExecutorService actionThread;
  private EventLoopGroup group;
  private Channel channel;

  public AdminServer(
      String service,
      InetSocketAddress bind,
      PrometheusMeterRegistry registry,
      Supplier<Health> health) {
    this(service, bind, registry, health, Map.of());
  }

  /**
   * @param actions {@code POST} paths (e.g. {@code "/reload"}) and what they do
   */
  public AdminServer(
      String service,
      InetSocketAddress bind,
      PrometheusMeterRegistry registry,
      Supplier<Health> health,
      Map<String, AdminAction> actions) {
    this.bind = bind;
    this.actionThread =
        actions.isEmpty()
            ? null
            : Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, service + "-admin-action");
                  t.setDaemon(true);
                  return t;
                });
    this.handler = new AdminHandler(service, registry, health, Map.copyOf(actions), actionThread);
  }

  public AdminServer start() throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(8192))
                        .addLast(handler);
                  }
                })
            .bind(bind)
            .sync()
            .channel();
    log.info("admin endpoint on http://{}:{}/health and /metrics", host(), port());
    return this;
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  private String host() {
    return ((InetSocketAddress) channel.localAddress()).getAddress().getHostAddress();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (actionThread != null) {
      actionThread.shutdownNow();
    }
  }
}
