package io.shopstack.dns.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS transport every DNS service of the stack shares: the same address and port over UDP and
 * TCP, queries handed to a {@link QueryHandler}. The authoritative servers, the GSLB and the
 * resolver differ only in the handler they plug in.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);

  /**
   * Where and how to listen. {@code maxUdpPayload} caps EDNS sizes (1232: DNS flag day 2020);
   * {@code tcpConnectionsPerClient} is how many TCP connections one client address may hold open.
   */
  public record Settings(
      String name,
      InetSocketAddress bind,
      int maxUdpPayload,
      int tcpIdleSeconds,
      int tcpConnectionsPerClient) {
    public static final int DEFAULT_TCP_CONNECTIONS_PER_CLIENT = 16;

    public Settings {
      if (tcpConnectionsPerClient < 1) {
        throw new IllegalArgumentException(
            "tcpConnectionsPerClient must be at least 1: " + tcpConnectionsPerClient);
      }
    }

    public Settings(String name, InetSocketAddress bind) {
      this(name, bind, 1232, 10);
    }

    public Settings(String name, InetSocketAddress bind, int maxUdpPayload, int tcpIdleSeconds) {
      this(name, bind, maxUdpPayload, tcpIdleSeconds, DEFAULT_TCP_CONNECTIONS_PER_CLIENT);
    }
  }

  private static final int UDP_RECEIVE_BUFFER = 4 << 20;
  private static final int PORT_ATTEMPTS = 5;

  private final Settings settings;
  private final QueryHandler handler;
  private final DnsServerMetrics metrics;
  private EventLoopGroup group;
  private Channel udp;
  private Channel tcp;

  public DnsServer(Settings settings, QueryHandler handler, MeterRegistry registry) {
    this.settings = settings;
    this.handler = handler;
    this.metrics = new DnsServerMetrics(registry);
  }

  public DnsServer start() throws InterruptedException {
    group =
        new MultiThreadIoEventLoopGroup(
            0, new DefaultThreadFactory(settings.name() + "-dns"), NioIoHandler.newFactory());
    AnswerReplay replay = new AnswerReplay(handler, metrics);
    TcpConnectionLimit connectionLimit =
        new TcpConnectionLimit(settings.tcpConnectionsPerClient(), metrics);
    Bootstrap udpBootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            // Room for a few thousand queries: a burst (or a GC pause) must not overflow the
            // socket and lose queries. The kernel caps this at net.core.rmem_max.
            .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER);
    ServerBootstrap tcpBootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 256)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(connectionLimit)
                        .addLast(new IdleStateHandler(0, 0, settings.tcpIdleSeconds()))
                        .addLast(new LengthFieldBasedFrameDecoder(65535 + 2, 0, 2, 0, 2))
                        .addLast(new TcpQueryHandler(handler, replay, metrics));
                  }
                });
    for (int attempt = 1; ; attempt++) {
      // One handler per UDP channel: it holds that channel's pending flush.
      udp =
          udpBootstrap
              .handler(new UdpQueryHandler(handler, replay, settings.maxUdpPayload(), metrics))
              .bind(settings.bind())
              .sync()
              .channel();
      // TCP on the UDP socket's port, so binding port 0 in tests gives one port for both.
      InetSocketAddress tcpBind = new InetSocketAddress(settings.bind().getAddress(), udpPort());
      ChannelFuture bound = tcpBootstrap.bind(tcpBind).awaitUninterruptibly();
      if (bound.isSuccess()) {
        tcp = bound.channel();
        break;
      }
      udp.close().syncUninterruptibly();
      // A port picked for UDP may be taken for TCP by someone else: pick another one.
      if (settings.bind().getPort() != 0 || attempt == PORT_ATTEMPTS) {
        bound.sync(); // rethrows why TCP could not bind
      }
    }
    log.info("{} serving DNS on {} udp+tcp", settings.name(), udp.localAddress());
    return this;
  }

  /** The bound UDP and TCP port (the same number). */
  public int port() {
    return udpPort();
  }

  private int udpPort() {
    return ((InetSocketAddress) udp.localAddress()).getPort();
  }

  @Override
  public void close() {
    if (udp != null) {
      udp.close().syncUninterruptibly();
    }
    if (tcp != null) {
      tcp.close().syncUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
