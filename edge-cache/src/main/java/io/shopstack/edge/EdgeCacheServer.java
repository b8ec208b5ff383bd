package io.shopstack.edge;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.shopstack.common.admin.AdminServer;
import io.shopstack.common.admin.Health;
import io.shopstack.common.admin.Metrics;
import io.shopstack.edge.cache.ResponseCache;
import io.shopstack.edge.origin.OriginRoutes;
import io.shopstack.edge.proxy.EdgeServerInitializer;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache instance: a CDN edge or the data-centre cache, depending on its config. Listens for
 * HTTP/1.1 on {@code bind:port} and serves {@code /health} and {@code /metrics} on {@code
 * bind:adminPort}. Origin connections share the client connections' event loops.
 */
public final class EdgeCacheServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EdgeCacheServer.class);

  private final EdgeCacheConfig config;
  private final Clock clock;
  private final OriginRoutes routes;
  private final ResponseCache cache;
  private final PrometheusMeterRegistry registry;
  private EventLoopGroup group;
  private Channel channel;
  private AdminServer admin;

  public EdgeCacheServer(EdgeCacheConfig config) {
    this(config, Clock.systemUTC());
  }

  /** With a clock of the caller's choosing, so tests can let stored responses age. */
  public EdgeCacheServer(EdgeCacheConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.routes = config.originRoutes();
    this.cache = new ResponseCache(config.limits().maxEntries(), config.limits().maxCacheBytes());
    this.registry = Metrics.registry(config.instance());
  }

  public EdgeCacheServer start() throws InterruptedException {
    group =
        new MultiThreadIoEventLoopGroup(
            0, new DefaultThreadFactory(config.instance() + "-http"), NioIoHandler.newFactory());
    try {
      channel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childHandler(
                  new EdgeServerInitializer(
                      config.instance(), routes, config.limits(), cache, registry, clock::millis))
              .bind(new InetSocketAddress(config.bind(), config.port()))
              .sync()
              .channel();
      admin =
          new AdminServer(
                  config.instance(),
                  new InetSocketAddress(config.bind(), config.adminPort()),
                  registry,
                  Health::healthy)
              .start();
    } catch (InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
    log.info(
        "{} caching on http://{}:{} with routes {}",
        config.instance(),
        config.bind(),
        port(),
        routes.routes());
    return this;
  }

  /** The bound HTTP port (useful when the config asked for port 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  public int adminPort() {
    return admin.port();
  }

  public String instance() {
    return config.instance();
  }

  public ResponseCache cache() {
    return cache;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
