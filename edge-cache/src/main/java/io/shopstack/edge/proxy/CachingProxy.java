package io.shopstack.edge.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.shopstack.edge.cache.CacheEntry;
import io.shopstack.edge.cache.CacheKey;
import io.shopstack.edge.cache.CachePolicy;
import io.shopstack.edge.cache.ResponseCache;
import io.shopstack.edge.cache.WaitingList;
import io.shopstack.edge.origin.Origin;
import io.shopstack.edge.origin.OriginClient;
import io.shopstack.edge.origin.OriginException;
import io.shopstack.edge.origin.OriginResponse;
import io.shopstack.edge.origin.OriginRoutes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision for one request, in Varnish's terms: <b>hit</b> (a fresh stored response), <b>miss
 * </b> (fetch from the origin, store if allowed, waiting for an identical fetch already under way),
 * <b>pass</b> (any method but GET and HEAD: forwarded, never stored) or <b>synth</b> (answered
 * here: no route, origin down, request loop). Connection handling lives in {@link
 * EdgeProxyHandler}.
 */
final class CachingProxy {
  private static final Logger log = LoggerFactory.getLogger(CachingProxy.class);

  /** 508 (RFC 5842), which Netty has no constant for. */
  private static final HttpResponseStatus LOOP_DETECTED =
      new HttpResponseStatus(508, "Loop Detected");

  private static final Set<HttpMethod> UNSAFE =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH);

  /** A finished response and the result it counts as in the metrics. */
  record Reply(FullHttpResponse response, String result) {}

  /** One request on its way through: everything the steps below need to know about it. */
  private record Exchange(
      FullHttpRequest request,
      String target,
      CacheKey key,
      Origin origin,
      String requestId,
      String clientIp,
      EventLoop loop) {
    boolean head() {
      return HttpMethod.HEAD.equals(request.method());
    }
  }

  private final String instance;
  private final OriginRoutes routes;
  private final ResponseCache cache;
  private final CachePolicy policy;
  private final WaitingList waitingList;
  private final OriginClient originClient;
  private final EdgeMetrics metrics;
  private final LongSupplier clock;

  CachingProxy(
      String instance,
      OriginRoutes routes,
      ResponseCache cache,
      CachePolicy policy,
      WaitingList waitingList,
      OriginClient originClient,
      EdgeMetrics metrics,
      LongSupplier clock) {
    this.instance = instance;
    this.routes = routes;
    this.cache = cache;
    this.policy = policy;
    this.waitingList = waitingList;
    this.originClient = originClient;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Answers a well-formed request. The request stays owned by the caller; the future completes with
   * a response the caller writes, possibly on another event loop than {@code loop}.
   */
  CompletableFuture<Reply> handle(FullHttpRequest request, String clientIp, EventLoop loop) {
    String requestId = requestId(request);
    if (ProxyHeaders.looped(request.headers(), instance)) {
      return done(
          synthetic(
              LOOP_DETECTED, "request loop: it already passed through " + instance, requestId));
    }
    String target = originForm(request.uri());
    if (target == null) {
      return done(
          synthetic(
              HttpResponseStatus.BAD_REQUEST, "bad request target: " + request.uri(), requestId));
    }
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    Optional<Origin> origin = routes.route(path);
    if (origin.isEmpty()) {
      return done(
          synthetic(
              HttpResponseStatus.NOT_FOUND,
              "no origin route for "
                  + path
                  + " on "
                  + instance
                  + " (routes: "
                  + String.join(", ", routes.prefixes())
                  + ")",
              requestId));
    }
    String host = request.headers().get(HttpHeaderNames.HOST, "");
    Exchange x =
        new Exchange(
            request, target, new CacheKey(host, target), origin.get(), requestId, clientIp, loop);
    boolean cacheable =
        HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
    CompletableFuture<Reply> reply = cacheable ? lookup(x) : pass(x);
    return reply.exceptionally(failure -> originFailure(x, failure));
  }

  /** A response this cache makes up itself, marked like every other. */
  Reply synthetic(HttpResponseStatus status, String message, String requestId) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    ProxyHeaders.decorate(response.headers(), instance, "MISS", requestId, 0);
    return new Reply(response, "synth");
  }

  String requestId(FullHttpRequest request) {
    String id = request.headers().get(ProxyHeaders.X_REQUEST_ID);
    return id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
  }

  private CompletableFuture<Reply> lookup(Exchange x) {
    Optional<CacheEntry> hit = cache.lookup(x.key(), x.request().headers(), clock.getAsLong());
    if (hit.isPresent()) {
      return done(hit(x, hit.get()));
    }
    WaitingList.Ticket ticket = waitingList.join(x.key());
    if (ticket.leader()) {
      return fill(x, ticket);
    }
    metrics.coalesced();
    return ticket.fetched().thenComposeAsync(fetched -> afterWaiting(x), x.loop());
  }

  /** Back from the waiting list: the leader's response is stored, or we fetch for ourselves. */
  private CompletableFuture<Reply> afterWaiting(Exchange x) {
    Optional<CacheEntry> hit = cache.lookup(x.key(), x.request().headers(), clock.getAsLong());
    return hit.isPresent() ? done(hit(x, hit.get())) : fill(x, null);
  }

  /** A miss: fetch with a plain GET (also for HEAD, so the entry serves both) and maybe store. */
  private CompletableFuture<Reply> fill(Exchange x, WaitingList.Ticket ticket) {
    metrics.originFetch(x.origin());
    return originClient
        .fetch(x.origin(), toOrigin(x, true), x.loop())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                if (ticket != null) {
                  waitingList.finish(x.key(), ticket, failure);
                }
                throw failure instanceof CompletionException c
                    ? c
                    : new CompletionException(failure);
              }
              ProxyHeaders.stripHopByHop(response.headers());
              CachePolicy.Verdict verdict = policy.verdict(x.request().headers(), response);
              CacheEntry entry = null;
              if (verdict.store()) {
                entry = policy.entry(x.request().headers(), response);
                cache.store(x.key(), entry);
              } else {
                log.debug("{} not stored: {}", x.key(), verdict.reason());
              }
              if (ticket != null) {
                waitingList.finish(x.key(), ticket, null);
              }
              long age =
                  entry != null
                      ? entry.ageSeconds(clock.getAsLong())
                      : CachePolicy.ageHeaderSeconds(response.headers());
              return new Reply(respond(x, response, "MISS", age), "miss");
            });
  }

  /** Not GET or HEAD: straight to the origin, and what it changed is no longer fresh here. */
  private CompletableFuture<Reply> pass(Exchange x) {
    metrics.originFetch(x.origin());
    return originClient
        .fetch(x.origin(), toOrigin(x, false), x.loop())
        .thenApply(
            response -> {
              ProxyHeaders.stripHopByHop(response.headers());
              if (UNSAFE.contains(x.request().method()) && response.status().code() < 400) {
                cache.invalidate(x.key());
              }
              long age = CachePolicy.ageHeaderSeconds(response.headers());
              return new Reply(respond(x, response, "MISS", age), "pass");
            });
  }

  private Reply hit(Exchange x, CacheEntry entry) {
    long age = entry.ageSeconds(clock.getAsLong());
    return new Reply(respond(x, entry.response(), "HIT", age), "hit");
  }

  private FullHttpResponse respond(
      Exchange x, OriginResponse origin, String xCache, long ageSeconds) {
    HttpHeaders headers = origin.headers().copy();
    int status = origin.status().code();
    if (status == 204 || status == 304) {
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
    } else {
      // For HEAD too: the length the GET body has (RFC 9110 8.6).
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, origin.body().length);
    }
    ProxyHeaders.decorate(headers, instance, xCache, x.requestId(), ageSeconds);
    return new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1,
        origin.status(),
        x.head() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(origin.body()),
        headers,
        HttpHeaders.EMPTY_HEADERS);
  }

  private FullHttpRequest toOrigin(Exchange x, boolean fill) {
    return ProxyHeaders.toOrigin(
        x.request(), x.target(), fill, x.clientIp(), instance, x.requestId());
  }

  private Reply originFailure(Exchange x, Throwable failure) {
    Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
    if (cause instanceof OriginException e) {
      metrics.originError(x.origin(), e.kind());
      log.info("{} {}: {}", x.request().method(), x.target(), e.getMessage());
      HttpResponseStatus status =
          e.kind() == OriginException.Kind.TIMEOUT
              ? HttpResponseStatus.GATEWAY_TIMEOUT
              : HttpResponseStatus.BAD_GATEWAY;
      return synthetic(status, e.getMessage(), x.requestId());
    }
    log.warn("{} {} failed inside the cache", x.request().method(), x.target(), cause);
    return synthetic(
        HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error in " + instance, x.requestId());
  }

  /** The path and query to send on: origin-form as is, absolute-form reduced to it. */
  private static String originForm(String uri) {
    if (uri.startsWith("/")) {
      return uri;
    }
    try {
      URI absolute = new URI(uri);
      if (absolute.getScheme() == null || absolute.getRawPath() == null) {
        return null;
      }
      String path = absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath();
      return absolute.getRawQuery() == null ? path : path + "?" + absolute.getRawQuery();
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private static CompletableFuture<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
