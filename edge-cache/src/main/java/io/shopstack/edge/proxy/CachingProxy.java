package io.shopstack.edge.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.shopstack.edge.cache.CacheControl;
import io.shopstack.edge.cache.CacheEntry;
import io.shopstack.edge.cache.CacheKey;
import io.shopstack.edge.cache.CachePolicy;
import io.shopstack.edge.cache.ClientDirectives;
import io.shopstack.edge.cache.HitForPass;
import io.shopstack.edge.cache.ResponseCache;
import io.shopstack.edge.cache.SurrogateControl;
import io.shopstack.edge.cache.WaitingList;
import io.shopstack.edge.origin.Origin;
import io.shopstack.edge.origin.OriginClient;
import io.shopstack.edge.origin.OriginException;
import io.shopstack.edge.origin.OriginResponse;
import io.shopstack.edge.origin.OriginRoutes;
import io.shopstack.edge.origin.OriginStream;
import io.shopstack.edge.rules.EdgeRule;
import io.shopstack.edge.rules.EdgeRules;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
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

  /** RFC 9110 9.2.1: every other method, known or not, may change what the URI names. */
  private static final Set<HttpMethod> SAFE =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

  /**
   * A response and the result it counts as in the metrics. With {@code body}, the response is only
   * the head (its content empty) and the body follows from the origin as it arrives.
   */
  record Reply(FullHttpResponse response, String result, Streamed body) {
    Reply(FullHttpResponse response, String result) {
      this(response, result, null);
    }

    /** Drops the reply unsent. */
    void discard() {
      response.release();
      if (body != null) {
        body.stream().leave(body.reader());
      }
    }
  }

  /** A body on its way from the origin, and this reply's place in it. */
  record Streamed(OriginStream stream, OriginStream.Reader reader) {}

  /** One request on its way through: everything the steps below need to know about it. */
  private record Exchange(
      FullHttpRequest request,
      String target,
      CacheKey key,
      Origin origin,
      String requestId,
      String clientIp,
      EventLoop loop,
      EdgeRule rule) {
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
  private final long graceMillis;
  private final Invalidator invalidator;
  private final Supplier<EdgeRules> rules;
  private final HitForPass hitForPass = new HitForPass(HitForPass.DEFAULT_MILLIS);

  CachingProxy(
      String instance,
      OriginRoutes routes,
      ResponseCache cache,
      CachePolicy policy,
      WaitingList waitingList,
      OriginClient originClient,
      EdgeMetrics metrics,
      LongSupplier clock,
      long graceMillis,
      Invalidator invalidator,
      Supplier<EdgeRules> rules) {
    this.instance = instance;
    this.routes = routes;
    this.cache = cache;
    this.policy = policy;
    this.waitingList = waitingList;
    this.originClient = originClient;
    this.metrics = metrics;
    this.clock = clock;
    this.graceMillis = graceMillis;
    this.invalidator = invalidator;
    this.rules = rules;
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
    if (Invalidator.isCommand(request.method())) {
      Invalidator.Outcome outcome = invalidator.run(request, target, clientIp);
      return done(synthetic(outcome.status(), outcome.message(), requestId));
    }
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    Optional<OriginRoutes.Route> route = routes.route(path);
    if (route.isEmpty()) {
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
    EdgeRule rule = rules.get().match(host, path);
    Set<String> allowed = rule.allowed(route.get().allowed());
    if (!allowed.contains(request.method().name())) {
      Reply refused =
          synthetic(
              HttpResponseStatus.METHOD_NOT_ALLOWED,
              request.method() + " is not allowed on " + route.get().prefix(),
              requestId);
      refused.response().headers().set(HttpHeaderNames.ALLOW, EdgeRule.allowHeader(allowed));
      return done(refused);
    }
    if (rule.stripCookie()) {
      request.headers().remove(HttpHeaderNames.COOKIE); // shared by everyone, looked up without it
    }
    Exchange x =
        new Exchange(
            request,
            target,
            new CacheKey(host, target),
            route.get().origin(),
            requestId,
            clientIp,
            loop,
            rule);
    CompletableFuture<Reply> reply = cacheable(request) && !rule.pass() ? lookup(x) : pass(x);
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
    return id == null || id.isBlank() ? newRequestId() : id;
  }

  /**
   * A version-4 UUID from the thread's own generator. A request ID must be unique, not secret:
   * {@code UUID.randomUUID()} draws from the shared SecureRandom on every request, which cost a
   * visible share of each hit in the profile.
   */
  static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xC0L << 56)) | (0x80L << 56);
    return new UUID(high, low).toString();
  }

  /**
   * GET and HEAD: a fresh stored response answers at once; a stale one is revalidated (or served
   * while a background request revalidates it, if the origin allowed that); nothing stored is a
   * miss. Misses and revalidations of one key share one origin request through the waiting list.
   */
  private CompletableFuture<Reply> lookup(Exchange x) {
    if (CachePolicy.clientSaidNoStore(x.request().headers())) {
      // Fetched alone (no waiting list): the answer is this client's, never stored nor shared.
      return fetch(x, null, null);
    }
    if (cache.onlyBelow(x.key())) {
      // Read from disk on a reader thread; hits from memory on this event loop go on meanwhile.
      return cache.loadFromBelow(x.key(), x.loop()).thenCompose(loaded -> decide(x));
    }
    return decide(x);
  }

  /** {@link #lookup} once whatever the disk held for the key is in memory. */
  private CompletableFuture<Reply> decide(Exchange x) {
    long now = clock.getAsLong();
    CacheControl asked = CacheControl.of(x.request().headers());
    Optional<CacheEntry> found = cache.lookup(x.key(), x.request().headers(), now);
    if (found.isPresent()) {
      CacheEntry entry = found.get();
      ClientDirectives.Use use = ClientDirectives.judge(asked, entry, now);
      if (use == ClientDirectives.Use.FRESH) {
        return done(hit(x, entry, "HIT"));
      }
      if (use == ClientDirectives.Use.STALE_ACCEPTED) {
        return done(hit(x, entry, "STALE"));
      }
      if (!entry.isFresh(now)
          && entry.servableWhileRevalidating(now)
          && !ClientDirectives.insistsOnValidation(asked)) {
        revalidateInBackground(x, entry);
        return done(hit(x, entry, "STALE"));
      }
    }
    if (asked.has("only-if-cached")) {
      return done(
          synthetic(
              HttpResponseStatus.GATEWAY_TIMEOUT,
              "only-if-cached: no usable stored response for " + x.target(),
              x.requestId()));
    }
    if (found.isEmpty() && hitForPass.passes(x.key(), now)) {
      return fetch(x, null, null); // its last answer was not shareable: no point queueing
    }
    WaitingList.Ticket ticket = waitingList.join(x.key());
    if (ticket.leader()) {
      return fetch(x, found.orElse(null), ticket);
    }
    metrics.coalesced();
    return follow(x, ticket);
  }

  /** Back from the waiting list: the leader's response is stored, or we fetch for ourselves. */
  private CompletableFuture<Reply> afterWaiting(Exchange x) {
    long now = clock.getAsLong();
    Optional<CacheEntry> found = cache.lookup(x.key(), x.request().headers(), now);
    if (found.isPresent() && found.get().isFresh(now)) {
      return done(hit(x, found.get(), "HIT"));
    }
    return fetch(x, found.orElse(null), null);
  }

  /** stale-while-revalidate: one request refreshes the entry; the client does not wait for it. */
  private void revalidateInBackground(Exchange x, CacheEntry stale) {
    WaitingList.Ticket ticket = waitingList.join(x.key());
    if (!ticket.leader()) {
      return; // someone is already refreshing it
    }
    fetch(x, stale, ticket)
        .whenComplete(
            (reply, failure) -> {
              if (reply != null) {
                reply.discard();
              }
            });
  }

  /**
   * To the origin with a plain GET (also for HEAD, so the entry serves both), conditional when a
   * stale entry has validators. A large or open-ended 200 is relayed while it arrives ({@link
   * #streamed}); anything else is read whole and settled by {@link #settle}.
   */
  private CompletableFuture<Reply> fetch(Exchange x, CacheEntry stale, WaitingList.Ticket ticket) {
    metrics.originFetch(x.origin());
    FullHttpRequest request = toOrigin(x, true);
    if (stale != null) {
      Revalidation.addValidators(request.headers(), stale);
    }
    long sent = clock.getAsLong();
    return originClient
        .open(x.origin(), request, x.loop())
        .thenCompose(
            stream -> {
              metrics.originLatency(x.origin(), clock.getAsLong() - sent);
              // Synchronous up to the first byte: how the body is read is set before it arrives.
              ProxyHeaders.stripHopByHop(stream.headers());
              if (x.rule().stripSetCookie()) {
                stream.headers().remove(HttpHeaderNames.SET_COOKIE);
              }
              if (streams(stream)) {
                return done(streamed(x, stream, ticket));
              }
              return originClient
                  .whole(stream, x.origin())
                  .thenApply(response -> settle(x, stale, ticket, response));
            })
        .whenComplete(
            (reply, failure) -> {
              if (failure != null) {
                finish(x, ticket, failure);
              }
            });
  }

  /**
   * A whole response: a 304 freshens the entry (RFC 9111 4.3.4); a 5xx falls back to the stale
   * entry where stale-if-error allows; anything else is stored if allowed.
   */
  private Reply settle(
      Exchange x, CacheEntry stale, WaitingList.Ticket ticket, OriginResponse response) {
    long now = clock.getAsLong();
    if (stale != null && response.status().code() == 304) {
      CacheEntry fresh = policy.freshen(stale, response, x.rule().ttlMillis());
      cache.replace(x.key(), stale, fresh);
      finish(x, ticket, null);
      return hit(x, fresh, "REVALIDATED");
    }
    if (stale != null
        && response.status().code() >= 500
        && stale.servableOnError(now, graceMillis)) {
      finish(x, ticket, null);
      return hit(x, stale, "STALE");
    }
    long ttl = x.rule().ttlMillis();
    CachePolicy.Verdict verdict = policy.verdict(x.request().headers(), response, ttl);
    CacheEntry entry = null;
    if (verdict.store()) {
      entry = policy.entry(x.request().headers(), response, ttl);
      cache.store(x.key(), x.request().headers(), entry);
      hitForPass.clear(x.key());
    } else {
      notStored(x, verdict.reason(), response.status().code(), now);
    }
    finish(x, ticket, null);
    long age =
        entry != null ? entry.ageSeconds(now) : CachePolicy.ageHeaderSeconds(response.headers());
    return new Reply(respond(x, response, "MISS", age, true), "miss");
  }

  private void notStored(Exchange x, String reason, int status, long now) {
    log.debug("{} not stored: {}", x.key(), reason);
    // A failing origin is not "uncacheable", and one client's no-store says nothing about the URL.
    if (status < 500 && !CachePolicy.clientSaidNoStore(x.request().headers())) {
      hitForPass.mark(x.key(), now);
    }
  }

  /**
   * Relayed as it arrives: a 200 larger than {@link #STREAM_ABOVE_BYTES} or of unknown length, so
   * the first byte reaches the client while the origin is still sending and nothing waits for a
   * whole object. Such a 200 answers GET and HEAD whole, whatever Range or conditionals the client
   * sent (RFC 9110 allows ignoring both); later hits answer those from the stored copy.
   */
  private static boolean streams(OriginStream stream) {
    long length = stream.declaredLength();
    return stream.status().code() == 200 && (length < 0 || length > STREAM_ABOVE_BYTES);
  }

  /**
   * Smaller bodies arrive in a read or two: reading them whole costs nothing and keeps one path.
   */
  static final long STREAM_ABOVE_BYTES = 64 << 10;

  /**
   * The leader's streamed miss. If the response may be stored (and fits {@code maxObjectBytes}) the
   * whole body is kept while it is relayed, coalesced waiters follow it too, and it is stored when
   * it ends; otherwise it is only relayed, with memory bounded, and the key becomes hit-for-pass.
   */
  private Reply streamed(Exchange x, OriginStream stream, WaitingList.Ticket ticket) {
    long now = clock.getAsLong();
    CachePolicy.Verdict verdict =
        policy.verdict(x.request().headers(), stream.head(), x.rule().ttlMillis());
    long declared = stream.declaredLength();
    boolean keep = verdict.store() && declared <= policy.maxObjectBytes();
    stream.keepWholeUpTo(keep ? policy.maxObjectBytes() : 0);
    OriginStream.Reader reader = stream.join();
    if (!keep) {
      notStored(x, verdict.store() ? "larger than maxObjectBytes" : verdict.reason(), 200, now);
      finish(x, ticket, null);
    } else {
      if (ticket != null && !stream.headers().contains(HttpHeaderNames.VARY)) {
        waitingList.streaming(ticket, stream);
      }
      stream.finished().whenComplete((v, failure) -> storeStreamed(x, stream, ticket, failure));
    }
    long age = CachePolicy.ageHeaderSeconds(stream.headers());
    return streamReply(x, stream, reader, "MISS", age, "miss");
  }

  private void storeStreamed(
      Exchange x, OriginStream stream, WaitingList.Ticket ticket, Throwable failure) {
    if (failure != null) {
      finish(x, ticket, failure);
      return;
    }
    long now = clock.getAsLong();
    if (!stream.keepsWhole()) {
      notStored(x, "grew larger than maxObjectBytes", 200, now);
    } else {
      OriginResponse whole = stream.whole();
      long ttl = x.rule().ttlMillis();
      CachePolicy.Verdict verdict = policy.verdict(x.request().headers(), whole, ttl);
      if (verdict.store()) {
        cache.store(
            x.key(), x.request().headers(), policy.entry(x.request().headers(), whole, ttl));
        hitForPass.clear(x.key());
      } else {
        notStored(x, verdict.reason(), 200, now);
      }
    }
    finish(x, ticket, null);
  }

  /** A waiter follows the leader's body while it arrives, as Varnish's streaming does. */
  private CompletableFuture<Reply> follow(Exchange x, WaitingList.Ticket ticket) {
    return ticket
        .streaming()
        .thenComposeAsync(
            stream -> {
              OriginStream.Reader reader = stream == null ? null : stream.join();
              if (reader == null) {
                return ticket.fetched().thenComposeAsync(fetched -> afterWaiting(x), x.loop());
              }
              long age = CachePolicy.ageHeaderSeconds(stream.headers());
              return done(streamReply(x, stream, reader, "HIT", age, "hit"));
            },
            x.loop());
  }

  /**
   * A streamed answer, or a {@code 304} without its body when the client's own conditional already
   * matches the head (the body still goes into the cache when it is being kept).
   */
  private Reply streamReply(
      Exchange x,
      OriginStream stream,
      OriginStream.Reader reader,
      String xCache,
      long ageSeconds,
      String result) {
    if (Preconditions.notModified(x.request().headers(), stream.headers())) {
      stream.leave(reader);
      HttpHeaders notModified = Preconditions.notModifiedHeaders(stream.headers());
      SurrogateControl.keepOthers(notModified, instance);
      ProxyHeaders.decorate(notModified, instance, xCache, x.requestId(), ageSeconds);
      return new Reply(
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.NOT_MODIFIED,
              Unpooled.EMPTY_BUFFER,
              notModified,
              HttpHeaders.EMPTY_HEADERS),
          result);
    }
    return new Reply(
        streamHead(x, stream, xCache, ageSeconds), result, new Streamed(stream, reader));
  }

  /** The head of a streamed answer; an open-ended body goes to the client chunked. */
  private FullHttpResponse streamHead(
      Exchange x, OriginStream stream, String xCache, long ageSeconds) {
    HttpHeaders headers = stream.headers().copy();
    SurrogateControl.keepOthers(headers, instance);
    if (stream.declaredLength() < 0) {
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    ProxyHeaders.decorate(headers, instance, xCache, x.requestId(), ageSeconds);
    return new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1,
        stream.status(),
        Unpooled.EMPTY_BUFFER,
        headers,
        HttpHeaders.EMPTY_HEADERS);
  }

  private void finish(Exchange x, WaitingList.Ticket ticket, Throwable failure) {
    if (ticket != null) {
      waitingList.finish(x.key(), ticket, failure);
    }
  }

  /**
   * Any method but GET and HEAD: straight to the origin. Unless it is known to be safe, what it
   * succeeded in changing is no longer fresh here (RFC 9111 4.4), nor are the URIs its {@code
   * Location} and {@code Content-Location} name on the same host.
   */
  private CompletableFuture<Reply> pass(Exchange x) {
    metrics.originFetch(x.origin());
    return originClient
        .fetch(x.origin(), toOrigin(x, false), x.loop())
        .thenApply(
            response -> {
              ProxyHeaders.stripHopByHop(response.headers());
              if (x.rule().stripSetCookie()) {
                response.headers().remove(HttpHeaderNames.SET_COOKIE);
              }
              int status = response.status().code();
              if (!SAFE.contains(x.request().method()) && status >= 200 && status < 400) {
                cache.invalidate(x.key());
                Revalidation.sameHostTargets(x.key().host(), response.headers())
                    .forEach(target -> cache.invalidate(new CacheKey(x.key().host(), target)));
              }
              long age = CachePolicy.ageHeaderSeconds(response.headers());
              return new Reply(respond(x, response, "PASS", age, false), "pass");
            });
  }

  private Reply hit(Exchange x, CacheEntry entry, String xCache) {
    long age = entry.ageSeconds(clock.getAsLong());
    if (xCache.equals("HIT") && plainHit(x, entry)) {
      return new Reply(plainHitResponse(x, entry, age), "hit");
    }
    String result = xCache.equals("HIT") ? "hit" : xCache.toLowerCase(java.util.Locale.ROOT);
    FullHttpResponse response = respond(x, entry.response(), xCache, age, true);
    response.headers().set(ProxyHeaders.X_CACHE_HITS, entry.hits().incrementAndGet());
    return new Reply(response, result);
  }

  /**
   * A whole stored 200 for a request without conditionals or ranges: what most hits are. {@link
   * #respond} would find nothing to answer differently for it.
   */
  private static boolean plainHit(Exchange x, CacheEntry entry) {
    HttpHeaders asked = x.request().headers();
    return entry.response().status().code() == 200
        && !asked.contains(HttpHeaderNames.IF_NONE_MATCH)
        && !asked.contains(HttpHeaderNames.IF_MODIFIED_SINCE)
        && !asked.contains(HttpHeaderNames.RANGE);
  }

  /**
   * The same response as {@link #respond} makes for a plain hit, from the entry's prepared head:
   * one copy and three fields per hit instead of re-deriving every header (byte for byte the same:
   * PlainHitTest).
   */
  private FullHttpResponse plainHitResponse(Exchange x, CacheEntry entry, long ageSeconds) {
    HttpHeaders prepared = entry.hitHead().get();
    if (prepared == null) {
      prepared = hitHead(entry.response(), instance);
      entry.hitHead().set(prepared);
    }
    HttpHeaders headers = prepared.copy();
    ProxyHeaders.markRequest(headers, x.requestId(), ageSeconds);
    headers.set(ProxyHeaders.X_CACHE_HITS, entry.hits().incrementAndGet());
    byte[] body = entry.response().body();
    return new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1,
        entry.response().status(),
        x.head() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body),
        headers,
        HttpHeaders.EMPTY_HEADERS);
  }

  /** {@link #respond}'s steps for a whole 200 that do not depend on the request. */
  static HttpHeaders hitHead(OriginResponse stored, String instance) {
    HttpHeaders headers = stored.headers().copy();
    SurrogateControl.keepOthers(headers, instance);
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, stored.body().length);
    ProxyHeaders.markHop(headers, instance, "HIT");
    return headers;
  }

  /**
   * The response for the client. For GET and HEAD of a whole 200 the client's own conditionals
   * ({@code 304}) and {@code Range} ({@code 206}/{@code 416}) are answered here, since the origin
   * was asked without them.
   */
  private FullHttpResponse respond(
      Exchange x, OriginResponse origin, String xCache, long ageSeconds, boolean cacheFlow) {
    HttpHeaders headers = origin.headers().copy();
    SurrogateControl.keepOthers(headers, instance); // ours were for us, not for the client
    int status = origin.status().code();
    if (cacheFlow && status == 200) {
      HttpHeaders asked = x.request().headers();
      if (Preconditions.notModified(asked, origin.headers())) {
        HttpHeaders notModified = Preconditions.notModifiedHeaders(headers);
        ProxyHeaders.decorate(notModified, instance, xCache, x.requestId(), ageSeconds);
        return new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.NOT_MODIFIED,
            Unpooled.EMPTY_BUFFER,
            notModified,
            HttpHeaders.EMPTY_HEADERS);
      }
      ByteRanges.Selection range = ByteRanges.select(asked, origin.headers(), origin.body().length);
      if (range.kind() != ByteRanges.Selection.Kind.WHOLE) {
        return partial(x, origin, headers, range, xCache, ageSeconds);
      }
    }
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

  /** 206 with one slice of the stored body, or 416 naming the length (RFC 9110 15.3.7, 15.5.17). */
  private FullHttpResponse partial(
      Exchange x,
      OriginResponse origin,
      HttpHeaders headers,
      ByteRanges.Selection range,
      String xCache,
      long ageSeconds) {
    int length = origin.body().length;
    ProxyHeaders.decorate(headers, instance, xCache, x.requestId(), ageSeconds);
    if (range.kind() == ByteRanges.Selection.Kind.UNSATISFIABLE) {
      headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + length);
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      headers.remove(HttpHeaderNames.CONTENT_TYPE);
      return new DefaultFullHttpResponse(
          HttpVersion.HTTP_1_1,
          HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
          Unpooled.EMPTY_BUFFER,
          headers,
          HttpHeaders.EMPTY_HEADERS);
    }
    headers.set(
        HttpHeaderNames.CONTENT_RANGE,
        "bytes " + range.first() + "-" + range.last() + "/" + length);
    headers.set(HttpHeaderNames.CONTENT_LENGTH, range.length());
    return new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1,
        HttpResponseStatus.PARTIAL_CONTENT,
        x.head()
            ? Unpooled.EMPTY_BUFFER
            : Unpooled.wrappedBuffer(origin.body(), (int) range.first(), (int) range.length()),
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
      log.info(
          "{} {}: {} ({})",
          x.request().method(),
          x.target(),
          e.getMessage(),
          e.getCause() == null ? "no cause" : e.getCause().toString());
      if (cacheable(x.request())) {
        long now = clock.getAsLong();
        Optional<CacheEntry> stale = cache.lookup(x.key(), x.request().headers(), now);
        if (stale.isPresent() && stale.get().servableOnError(now, graceMillis)) {
          return hit(x, stale.get(), "STALE"); // stale-if-error / grace: better than a 5xx
        }
      }
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

  private static boolean cacheable(FullHttpRequest request) {
    return HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
  }

  private static CompletableFuture<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
