package io.shopstack.dns.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.shopstack.common.server.ServerLifecycle;
import io.shopstack.dns.edns.Edns;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS transport every DNS service of the stack shares: the same address and port over UDP and
 * TCP, queries handed to a {@link QueryHandler}. The authoritative servers, the GSLB and the
 * resolver differ only in the handler they plug in.
 *
 * <p>A service opens it on its own {@link ServerLifecycle} ({@link #open}), so its sockets and
 * threads start and stop with the service's other parts; {@link #start()} runs it on a lifecycle of
 * its own. When the server stops, DNS over TCP ends the way RFC 7766 lets a server end it: idle
 * connections are closed at once, busy ones after their answers.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);

  /**
   * Where and how to listen. {@code maxUdpPayload} caps EDNS sizes ({@link Edns#PAYLOAD_SIZE});
   * {@code tcpConnectionsPerClient} is how many TCP connections one client address may hold open,
   * {@code tcpConnections} how many all clients together may; a query begun over TCP must be
   * complete within {@code tcpQuerySeconds}, and a connection idle between queries for {@code
   * tcpIdleSeconds} is closed (RFC 7766 6.2.3). {@code udpChannels} is how many UDP sockets share
   * the port with SO_REUSEPORT, each on its own event loop, when the transport is native epoll: 0
   * means one per core the JVM may use (its CPU affinity counts), and NIO always has one.
   */
  public record Settings(
      String name,
      InetSocketAddress bind,
      int maxUdpPayload,
      int tcpIdleSeconds,
      int tcpConnectionsPerClient,
      int tcpConnections,
      int tcpQuerySeconds,
      int udpChannels) {
    public static final int DEFAULT_TCP_IDLE_SECONDS = 10;
    public static final int DEFAULT_TCP_CONNECTIONS_PER_CLIENT = 16;

    /** BIND's default tcp-clients. */
    public static final int DEFAULT_TCP_CONNECTIONS = 150;

    /** BIND's limit for a query to arrive whole over TCP. */
    public static final int DEFAULT_TCP_QUERY_SECONDS = 30;

    public Settings {
      if (tcpConnectionsPerClient < 1 || tcpConnections < 1) {
        throw new IllegalArgumentException(
            "tcpConnectionsPerClient and tcpConnections must be at least 1: "
                + tcpConnectionsPerClient
                + ", "
                + tcpConnections);
      }
      if (tcpIdleSeconds < 1 || tcpQuerySeconds < 1) {
        throw new IllegalArgumentException(
            "tcpIdleSeconds and tcpQuerySeconds must be at least 1: "
                + tcpIdleSeconds
                + ", "
                + tcpQuerySeconds);
      }
      if (udpChannels < 0) {
        throw new IllegalArgumentException("udpChannels must be >= 0: " + udpChannels);
      }
    }

    public Settings(
        String name,
        InetSocketAddress bind,
        int maxUdpPayload,
        int tcpIdleSeconds,
        int tcpConnectionsPerClient,
        int tcpConnections,
        int tcpQuerySeconds) {
      this(
          name,
          bind,
          maxUdpPayload,
          tcpIdleSeconds,
          tcpConnectionsPerClient,
          tcpConnections,
          tcpQuerySeconds,
          0);
    }

    /** UDP sockets to open: {@link #udpChannels}, 0 resolved to the cores this JVM may use. */
    int udpSockets() {
      return udpChannels > 0 ? udpChannels : Runtime.getRuntime().availableProcessors();
    }

    public Settings(String name, InetSocketAddress bind) {
      this(name, bind, Edns.PAYLOAD_SIZE, DEFAULT_TCP_IDLE_SECONDS);
    }

    public Settings(String name, InetSocketAddress bind, int maxUdpPayload, int tcpIdleSeconds) {
      this(name, bind, maxUdpPayload, tcpIdleSeconds, DEFAULT_TCP_CONNECTIONS_PER_CLIENT);
    }

    public Settings(
        String name,
        InetSocketAddress bind,
        int maxUdpPayload,
        int tcpIdleSeconds,
        int tcpConnectionsPerClient) {
      this(
          name,
          bind,
          maxUdpPayload,
          tcpIdleSeconds,
          tcpConnectionsPerClient,
          DEFAULT_TCP_CONNECTIONS,
          DEFAULT_TCP_QUERY_SECONDS);
    }
  }

  private static final int UDP_RECEIVE_BUFFER = 4 << 20;
  private static final int PORT_ATTEMPTS = 5;

  private final Settings settings;
  private final QueryHandler handler;
  private final DnsServerMetrics metrics;
  private ServerLifecycle ownLifecycle;
  private final List<Channel> udp = new ArrayList<>();

  public DnsServer(Settings settings, QueryHandler handler, MeterRegistry registry) {
    this.settings = settings;
    this.handler = handler;
    this.metrics = new DnsServerMetrics(registry);
  }

  /** Starts the transport on its own; {@link #close()} stops it. */
  public DnsServer start() throws InterruptedException {
    ServerLifecycle own = new ServerLifecycle(settings.name());
    own.start(this::open);
    ownLifecycle = own;
    return this;
  }

  /**
   * Opens UDP and TCP as part of a service: the event loops and both sockets belong to {@code
   * server}, which drains the TCP connections and closes everything with the rest of the service.
   */
  public DnsServer open(ServerLifecycle server) throws InterruptedException {
    UdpSockets sockets = UdpSockets.on(server.transport(), settings.udpSockets());
    // At least one loop per UDP socket, so that each has a thread (a core) of its own.
    EventLoopGroup group =
        server.eventLoops(
            "dns", Math.max(sockets.count(), 2 * Runtime.getRuntime().availableProcessors()));
    QueryFlow flow =
        new QueryFlow(
            handler,
            new AnswerReplay(handler, metrics),
            metrics,
            settings.maxUdpPayload(),
            settings.tcpIdleSeconds());
    TcpConnectionLimit connectionLimit =
        new TcpConnectionLimit(
            settings.tcpConnectionsPerClient(), settings.tcpConnections(), metrics);
    Bootstrap udpBootstrap =
        sockets.configure(
            server
                .datagramBootstrap(group)
                // Room for a few thousand queries: a burst (or a GC pause) must not overflow the
                // socket and lose queries. The kernel caps this at net.core.rmem_max.
                .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER));
    ServerBootstrap tcpBootstrap =
        server
            .serverBootstrap(group, group)
            .option(ChannelOption.SO_BACKLOG, 256)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(connectionLimit)
                        .addLast(new IdleStateHandler(0, 0, settings.tcpIdleSeconds()))
                        .addLast(new TcpFraming(settings.tcpQuerySeconds(), metrics))
                        .addLast(new TcpQueryHandler(flow));
                  }
                });
    for (int attempt = 1; ; attempt++) {
      // TCP first: on port 0 the kernel then picks a port free for a TCP listener. Picked for UDP
      // instead, the number was often taken for TCP on a loaded machine, where loopback clients
      // leave tens of thousands of ports in TIME_WAIT (which block a listener, SO_REUSEADDR or
      // not): five picks in a row failed. UDP sockets are few, so the UDP bind on TCP's port
      // almost never has to be retried.
      Channel tcp = server.bind("DNS over TCP", tcpBootstrap, settings.bind()); // says why if not
      InetSocketAddress udpBind = new InetSocketAddress(settings.bind().getAddress(), port(tcp));
      // One handler per UDP channel: it holds that channel's pending flush.
      Bootstrap firstUdp = udpBootstrap.clone().handler(new UdpQueryHandler(flow));
      if (settings.bind().getPort() != 0 || attempt == PORT_ATTEMPTS) {
        udp.add(server.bind("DNS over UDP", firstUdp, udpBind)); // says why if it cannot
        break;
      }
      ChannelFuture bound = firstUdp.bind(udpBind);
      server.adopt(bound.channel());
      if (bound.await().isSuccess()) {
        udp.add(bound.channel());
        break;
      }
      // Someone holds that number for UDP: let the kernel pick another one.
      tcp.close().syncUninterruptibly();
    }
    // The other sockets of the port, now that its number is known; the kernel spreads clients
    // over them by a hash of their address.
    InetSocketAddress udpBind = new InetSocketAddress(settings.bind().getAddress(), port());
    for (int i = 1; i < sockets.count(); i++) {
      udp.add(
          server.bind(
              "DNS over UDP", udpBootstrap.clone().handler(new UdpQueryHandler(flow)), udpBind));
    }
    log.info(
        "{} serving DNS on {} udp+tcp; {}", settings.name(), udp.get(0).localAddress(), sockets);
    return this;
  }

  /** The bound UDP and TCP port (the same number). */
  public int port() {
    return port(udp.get(0));
  }

  private static int port(Channel channel) {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /**
   * Stops a transport started with {@link #start()}; one opened on a service's lifecycle stops with
   * it.
   */
  @Override
  public void close() {
    if (ownLifecycle != null) {
      ownLifecycle.close();
    }
  }
}
