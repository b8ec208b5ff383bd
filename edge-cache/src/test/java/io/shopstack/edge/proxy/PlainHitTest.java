package io.shopstack.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.shopstack.edge.EdgeCacheConfig;
import io.shopstack.edge.cache.CacheKey;
import io.shopstack.edge.cache.CachePolicy;
import io.shopstack.edge.cache.ResponseCache;
import io.shopstack.edge.cache.WaitingList;
import io.shopstack.edge.origin.OriginClient;
import io.shopstack.edge.origin.OriginResponse;
import io.shopstack.edge.origin.OriginRoutes;
import io.shopstack.edge.rules.EdgeRules;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A plain hit is answered from the entry's prepared head; every other hit still derives its head
 * from the stored response. Both must put the same bytes on the wire. A request with an {@code
 * If-Modified-Since} that is not a date takes the derived path and changes nothing else, so the two
 * answers, each the first hit on its own copy of the entry, are compared byte for byte.
 */
class PlainHitTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final String HOST = "static.shop.example";
  private static final String SLOW_PATH = "If-Modified-Since: not a date\r\n";

  static Stream<Arguments> storedResponses() {
    return Stream.of(
        Arguments.of("plain page", OriginResponseSpec.of(200, "OK", "hello\n")),
        Arguments.of(
            "an inner cache's marks, Age and request id",
            OriginResponseSpec.of(200, "OK", "page")
                .with("X-Cache", "HIT")
                .with("X-Cache", "MISS")
                .with("Via", "1.1 dc-cache (shop-stack-edge)")
                .with("X-Served-By", "dc-cache")
                .with("Age", "12")
                .with("X-Request-Id", "from-origin")),
        Arguments.of(
            "Surrogate-Control for us and for another cache",
            OriginResponseSpec.of(200, "OK", "x".repeat(3000))
                .with("Surrogate-Control", "max-age=60;edge-test, no-store;other-cdn")),
        Arguments.of(
            "Set-Cookie withheld, odd reason phrase, empty body",
            OriginResponseSpec.of(200, "Fine", "")
                .with("Set-Cookie", "id=1")
                .with("Content-Type", "text/plain; charset=utf-8")),
        Arguments.of(
            "Vary and validators",
            OriginResponseSpec.of(200, "OK", "{}")
                .with("Vary", "Accept-Encoding")
                .with("ETag", "\"v1\"")
                .with("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("storedResponses")
  void theFastHitIsByteForByteTheDerivedOne(String name, OriginResponseSpec stored) {
    for (String request :
        List.of(
            "GET /products/1 HTTP/1.1\r\nHost: "
                + HOST
                + "\r\nX-Request-Id: r1\r\nAccept-Encoding: gzip\r\n",
            "HEAD /products/1 HTTP/1.1\r\nHost: "
                + HOST
                + "\r\nX-Request-Id: r1\r\nAccept-Encoding: gzip\r\n",
            "GET /products/1 HTTP/1.0\r\nHost: "
                + HOST
                + "\r\nConnection: keep-alive\r\n"
                + "X-Request-Id: r1\r\nAccept-Encoding: gzip\r\n",
            "GET /products/1 HTTP/1.1\r\nHost: "
                + HOST
                + "\r\nConnection: close\r\n"
                + "X-Request-Id: r1\r\nAccept-Encoding: gzip\r\n")) {
      String fast = answer(stored, request + "\r\n");
      String derived = answer(stored, request + SLOW_PATH + "\r\n");

      assertThat(fast).contains("x-cache: HIT").contains("x-cache-hits: 1");
      assertThat(fast).as(request).isEqualTo(derived);
    }
  }

  /** The bytes one fresh cache holding {@code stored} sends for {@code request}. */
  private static String answer(OriginResponseSpec stored, String request) {
    ResponseCache cache = new ResponseCache(10, 1 << 20);
    WaitingList waitingList = new WaitingList();
    EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry(), cache, waitingList);
    CachePolicy policy = new CachePolicy(1 << 20, "edge-test");
    CachingProxy proxy =
        new CachingProxy(
            "edge-test",
            OriginRoutes.parse("/products/=127.0.0.1:9"),
            cache,
            policy,
            waitingList,
            new OriginClient(100, 100, 4096, () -> NOW),
            metrics,
            () -> NOW,
            0,
            new Invalidator(cache, EdgeCacheConfig.Invalidation.LOCAL_ONLY),
            () -> EdgeRules.NONE);
    HttpHeaders asked = new DefaultHttpHeaders().add("Accept-Encoding", "gzip");
    OriginResponse response = stored.response();
    cache.store(new CacheKey(HOST, "/products/1"), asked, policy.entry(asked, response));
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new HttpServerCodec(), new RequestAggregator(16), new EdgeProxyHandler(proxy, metrics));
    try {
      ByteBuf in = Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII);
      channel.writeInbound(in);
      channel.runPendingTasks();
      assertThat(in.refCnt()).isZero();
      StringBuilder out = new StringBuilder();
      for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
        out.append(buf.toString(StandardCharsets.ISO_8859_1));
        assertThat(buf.release()).isTrue();
      }
      return out.toString();
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  /** An origin response as the test writes it: status, reason, headers in order, body. */
  record OriginResponseSpec(
      int status, String reason, List<Map.Entry<String, String>> headers, String body) {
    static OriginResponseSpec of(int status, String reason, String body) {
      return new OriginResponseSpec(
          status,
          reason,
          List.of(
              Map.entry("Date", "Fri, 15 Jan 2027 08:00:00 GMT"),
              Map.entry("Cache-Control", "public, max-age=3600"),
              Map.entry("Content-Length", Integer.toString(body.length()))),
          body);
    }

    OriginResponseSpec with(String name, String value) {
      List<Map.Entry<String, String>> more = new java.util.ArrayList<>(headers);
      more.add(Map.entry(name, value));
      return new OriginResponseSpec(status, reason, List.copyOf(more), body);
    }

    OriginResponse response() {
      HttpHeaders h = new DefaultHttpHeaders();
      headers.forEach(e -> h.add(e.getKey(), e.getValue()));
      return new OriginResponse(
          new HttpResponseStatus(status, reason),
          h,
          body.getBytes(StandardCharsets.ISO_8859_1),
          NOW - 10,
          NOW);
    }
  }
}
