package io.shopstack.edge.proxy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.shopstack.common.server.HttpConnectionDrain;
import io.shopstack.common.server.Transport;
import io.shopstack.edge.EdgeCacheConfig;
import io.shopstack.edge.cache.CachePolicy;
import io.shopstack.edge.cache.ResponseCache;
import io.shopstack.edge.cache.WaitingList;
import io.shopstack.edge.origin.OriginClient;
import io.shopstack.edge.origin.OriginRoutes;
import io.shopstack.edge.rules.EdgeRules;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The pipeline of one client connection: idle timeout, HTTP/1.1 codec, the drain when the server
 * stops, body limit, proxy. Built once per instance; the cache, waiting list and origin client it
 * wires are shared by every connection.
 */
public final class EdgeServerInitializer extends ChannelInitializer<SocketChannel> {
  /**
   * Request line up to 8 KiB (nginx's {@code large_client_header_buffers}: longer is {@code 414}),
   * the whole head up to 32 KiB (Varnish's {@code http_req_size}: more is {@code 431}). Netty's
   * defaults (4 KiB, 8 KiB) refused 5 KiB query strings and 12 KiB of cookies that both pass.
   */
  static final HttpDecoderConfig REQUEST_HEAD_LIMITS =
      new HttpDecoderConfig().setMaxInitialLineLength(8 << 10).setMaxHeaderSize(32 << 10);

  private final CachingProxy proxy;
  private final EdgeMetrics metrics;
  private final int maxRequestBodyBytes;
  private final int clientIdleSeconds;
  private final long requestHeadMillis;
  private final int maxClientConnections;
  private final AtomicInteger openConnections = new AtomicInteger();

  public EdgeServerInitializer(
      String instance,
      OriginRoutes routes,
      EdgeCacheConfig.Limits limits,
      ResponseCache cache,
      MeterRegistry registry,
      LongSupplier clockMillis,
      long graceMillis,
      EdgeCacheConfig.Invalidation invalidation,
      Supplier<EdgeRules> rules,
      Transport transport) {
    WaitingList waitingList = new WaitingList();
    this.metrics = new EdgeMetrics(registry, cache, waitingList);
    OriginClient originClient =
        new OriginClient(
            limits.connectTimeoutMillis(),
            limits.originTimeoutMillis(),
            limits.maxResponseBytes(),
            clockMillis,
            limits.maxIdleOriginConnections(),
            limits.originIdleSeconds() * 1000L,
            transport);
    this.proxy =
        new CachingProxy(
            instance,
            routes,
            cache,
            new CachePolicy(limits.maxObjectBytes(), instance),
            waitingList,
            originClient,
            metrics,
            clockMillis,
            graceMillis,
            new Invalidator(cache, invalidation),
            rules);
    this.maxRequestBodyBytes = limits.maxRequestBodyBytes();
    this.clientIdleSeconds = limits.clientIdleSeconds();
    this.requestHeadMillis = limits.requestHeadMillis();
    this.maxClientConnections = limits.maxClientConnections();
    // What the GSLB's load-aware weights read from each edge's /metrics (dns-cdn gslb.load).
    Gauge.builder("edge.client.connections.open", openConnections, AtomicInteger::get)
        .description("client connections open now (the load the GSLB weighs edges by)")
        .register(registry);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (openConnections.incrementAndGet() > maxClientConnections) {
      // Over the cap: no pipeline, no buffers, the socket goes at once (nginx does the same when
      // worker_connections run out). Those already in keep being served.
      openConnections.decrementAndGet();
      metrics.connectionRefused();
      ch.close();
      return;
    }
    ch.closeFuture().addListener(f -> openConnections.decrementAndGet());
    RequestHeadDeadline headDeadline = new RequestHeadDeadline(requestHeadMillis);
    ch.pipeline()
        .addLast(new IdleStateHandler(0, 0, clientIdleSeconds))
        .addLast(headDeadline.rawSide())
        .addLast(new HttpServerCodec(REQUEST_HEAD_LIMITS))
        .addLast(headDeadline.messageSide())
        .addLast(new HttpConnectionDrain())
        .addLast(new RequestAggregator(maxRequestBodyBytes))
        .addLast(new EdgeProxyHandler(proxy, metrics));
  }
}
