package io.shopstack.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.shopstack.edge.EdgeCacheConfig;
import io.shopstack.edge.cache.CachePolicy;
import io.shopstack.edge.cache.ResponseCache;
import io.shopstack.edge.cache.WaitingList;
import io.shopstack.edge.origin.OriginClient;
import io.shopstack.edge.origin.OriginRoutes;
import io.shopstack.edge.rules.EdgeRules;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client-side pipeline without sockets: answers that need no origin, their order, and that
 * every buffer that went in or came out is released.
 */
class EdgeProxyHandlerTest {
  /** Flushes that reach the socket's end of the pipeline. */
  private final AtomicInteger flushes = new AtomicInteger();

  private final EmbeddedChannel channel = channel(flushes);

  private static EmbeddedChannel channel(AtomicInteger flushes) {
    ResponseCache cache = new ResponseCache(10, 1 << 20);
    WaitingList waitingList = new WaitingList();
    EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry(), cache, waitingList);
    CachingProxy proxy =
        new CachingProxy(
            "edge-test",
            OriginRoutes.parse("/products/=127.0.0.1:9"),
            cache,
            new CachePolicy(1024, "edge-test"),
            waitingList,
            new OriginClient(100, 100, 4096, System::currentTimeMillis),
            metrics,
            System::currentTimeMillis,
            0,
            new Invalidator(cache, EdgeCacheConfig.Invalidation.LOCAL_ONLY),
            () -> EdgeRules.NONE);
    return new EmbeddedChannel(
        new ChannelOutboundHandlerAdapter() {
          @Override
          public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
          }
        },
        new HttpServerCodec(),
        new RequestAggregator(16),
        new EdgeProxyHandler(proxy, metrics));
  }

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  private String exchange(String request) {
    ByteBuf in = Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII);
    channel.writeInbound(in);
    channel.runPendingTasks();
    assertThat(in.refCnt()).isZero();
    StringBuilder out = new StringBuilder();
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      out.append(buf.toString(StandardCharsets.UTF_8));
      assertThat(buf.release()).isTrue();
    }
    return out.toString();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() {
    String out =
        exchange(
            "GET /first HTTP/1.1\r\nHost: shop\r\n\r\n"
                + "GET /second HTTP/1.1\r\nHost: shop\r\nX-Request-Id: two\r\n\r\n");

    assertThat(out.indexOf("no origin route for /first"))
        .isNotNegative()
        .isLessThan(out.indexOf("no origin route for /second"));
    assertThat(out).contains("x-request-id: two").contains("x-served-by: edge-test");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void answersReadyAtOnceNeitherPauseReadingNorFlushEachResponse() {
    flushes.set(0);
    String out =
        exchange(
            "GET /a HTTP/1.1\r\nHost: shop\r\n\r\n"
                + "GET /b HTTP/1.1\r\nHost: shop\r\n\r\n"
                + "HEAD /c HTTP/1.1\r\nHost: shop\r\n\r\n"
                + "GET /d HTTP/1.1\r\nHost: shop\r\n\r\n");

    assertThat(out.split("HTTP/1.1 404", -1)).hasSize(5);
    // One read batch, one flush: a pipelined batch leaves in one write, not one per response.
    assertThat(flushes.get()).isEqualTo(1);
    // Pausing and resuming the socket around each request cost two epoll_ctl calls per hit.
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void garbageIs400AndTheConnectionCloses() {
    String out = exchange("\u0001\u0002 nonsense\r\n\r\n");

    assertThat(out).startsWith("HTTP/1.1 400 Bad Request").contains("malformed HTTP request");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aBodyOverTheLimitIs413WithAReason() {
    String out =
        exchange(
            "POST /products/1 HTTP/1.1\r\nHost: shop\r\nContent-Length: 40\r\n\r\n"
                + "x".repeat(40));

    assertThat(out).startsWith("HTTP/1.1 413").contains("request body larger than 16 bytes");
  }

  @Test
  void aLoopIsRefusedBeforeAnyOriginIsAsked() {
    String out =
        exchange(
            "GET /products/1 HTTP/1.1\r\nHost: shop\r\n"
                + "Via: 1.1 edge-test (shop-stack-edge)\r\n\r\n");

    assertThat(out).startsWith("HTTP/1.1 508").contains("already passed through edge-test");
  }
}
