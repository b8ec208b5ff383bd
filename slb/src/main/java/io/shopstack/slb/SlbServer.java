package io.shopstack.slb;

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
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.RoundRobin;
import io.shopstack.slb.proxy.ProxyInitializer;
import io.shopstack.slb.proxy.TrafficMetrics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's L4 load balancer: holds the VIP of www.shop.example and splices every TCP connection
 * to one order-service instance, bytes untouched. Build it from an {@link SlbConfig}, {@link
 * #start()} it, {@link #close()} it.
 */
public final class SlbServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlbServer.class);

  private final SlbConfig config;
  private final PrometheusMeterRegistry registry;
  private final BackendPool pool;
  private final List<Channel> listeners = new ArrayList<>();
  private EventLoopGroup acceptors;
  private EventLoopGroup workers;
  private AdminServer admin;

  public SlbServer(SlbConfig config) {
    this(config, Metrics.registry(config.instance()));
  }

  public SlbServer(SlbConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    this.pool = new BackendPool(config.backendAddresses(), new RoundRobin());
  }

  /** Binds every listen address, then the admin endpoint; returns once clients can connect. */
  public SlbServer start() throws InterruptedException {
    String name = config.instance();
    acceptors =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory(name + "-accept"), NioIoHandler.newFactory());
    workers =
        new MultiThreadIoEventLoopGroup(
            0, new DefaultThreadFactory(name + "-io"), NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptors, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childHandler(
                new ProxyInitializer(
                    pool,
                    config.connectTimeout(),
                    config.idleTimeoutSeconds(),
                    new TrafficMetrics(registry, pool)));
    for (InetSocketAddress address : config.listenAddresses()) {
      listeners.add(bootstrap.bind(address).sync().channel());
    }
    admin = new AdminServer(name, config.adminAddress(), registry, this::health).start();
    log.info("{} listening on {}, backends {}", name, listenAddresses(), pool.backends());
    return this;
  }

  private Health health() {
    long up = pool.backends().stream().filter(Backend::isUp).count();
    String detail =
        "listening on "
            + listenAddresses()
            + ", "
            + up
            + "/"
            + pool.backends().size()
            + " backends up";
    return new Health(true, detail);
  }

  /** The bound listen addresses, with the actual ports when port 0 was configured. */
  public List<InetSocketAddress> listenAddresses() {
    return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
  }

  public int adminPort() {
    return admin.port();
  }

  /** The backends and their state; where a health checker will mark them up or down. */
  public BackendPool backends() {
    return pool;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    for (Channel listener : listeners) {
      listener.close().syncUninterruptibly();
    }
    if (acceptors != null) {
      acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (workers != null) {
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
