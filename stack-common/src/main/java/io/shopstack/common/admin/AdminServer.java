package io.shopstack.common.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.shopstack.common.server.HttpConnectionDrain;
import io.shopstack.common.server.ServerLifecycle;
import java.net.InetSocketAddress;
import java.time.Duration;
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
 *
 * <p>A service opens it with {@link #start(ServerLifecycle)}, so it starts and stops with the
 * service; {@link #start()} runs it on a lifecycle of its own.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  // Nothing on the admin port is worth waiting for when it stops on its own.
  private static final Duration OWN_SHUTDOWN = Duration.ofSeconds(1);

  private final String service;
  private final InetSocketAddress bind;
  private final PrometheusMeterRegistry registry;
  private final Supplier<Health> health;
  private final Map<String, AdminAction> actions;
  private final Map<String, AdminPage> pages;
  private ServerLifecycle ownLifecycle;
  private Channel channel;

  public AdminServer(
      String service,
      InetSocketAddress bind,
      PrometheusMeterRegistry registry,
      Supplier<Health> health) {
    this(service, bind, registry, health, Map.of());
  }

  /**
   * @param actions {@code POST} paths (e.g. {@code "/reload"}) and what they do; a path ending in
   *     {@code /*} takes every path below it (see {@link AdminAction#REST_OF_PATH})
   */
  public AdminServer(
      String service,
      InetSocketAddress bind,
      PrometheusMeterRegistry registry,
      Supplier<Health> health,
      Map<String, AdminAction> actions) {
    this(service, bind, registry, health, actions, Map.of());
  }

  /**
   * @param actions {@code POST} paths (e.g. {@code "/reload"}) and what they do; a path ending in
   *     {@code /*} takes every path below it (see {@link AdminAction#REST_OF_PATH})
   * @param pages {@code GET} paths (e.g. {@code "/trace"}) and the JSON they show
   */
  public AdminServer(
      String service,
      InetSocketAddress bind,
      PrometheusMeterRegistry registry,
      Supplier<Health> health,
      Map<String, AdminAction> actions,
      Map<String, AdminPage> pages) {
    this.pages = Map.copyOf(pages);
    this.service = service;
    this.bind = bind;
    this.registry = registry;
    this.health = health;
    this.actions = Map.copyOf(actions);
  }

  /** Starts the endpoint on its own; {@link #close()} stops it. */
  public AdminServer start() throws InterruptedException {
    ServerLifecycle own = new ServerLifecycle(service, OWN_SHUTDOWN);
    own.start(this::start);
    ownLifecycle = own;
    return this;
  }

  /**
   * Starts the endpoint as part of a service: its thread, socket and action thread belong to the
   * service's lifecycle, which closes them with the rest of the service.
   */
  public AdminServer start(ServerLifecycle server) throws InterruptedException {
    ExecutorService actionThread = actions.isEmpty() ? null : actionThread(server);
    AdminHandler handler =
        new AdminHandler(service, registry, health, actions, pages, actionThread);
    EventLoopGroup group = server.eventLoops("admin", 1);
    channel =
        server.bind(
            "admin endpoint",
            server
                .serverBootstrap(group, group)
                .childHandler(
                    new ChannelInitializer<SocketChannel>() {
                      @Override
                      protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                            .addLast(new HttpServerCodec())
                            .addLast(new HttpConnectionDrain())
                            .addLast(new HttpObjectAggregator(8192))
                            .addLast(handler);
                      }
                    }),
            bind);
    log.info("admin endpoint on http://{}:{}/health and /metrics", host(), port());
    return this;
  }

  private ExecutorService actionThread(ServerLifecycle server) {
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, server.instance() + "-admin-action");
              t.setDaemon(true);
              return t;
            });
    server.track(executor::shutdownNow);
    return executor;
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  private String host() {
    return ((InetSocketAddress) channel.localAddress()).getAddress().getHostAddress();
  }

  /**
   * Stops an endpoint started with {@link #start()}; one started on a service's lifecycle stops
   * with it.
   */
  @Override
  public void close() {
    if (ownLifecycle != null) {
      ownLifecycle.close();
    }
  }
}
