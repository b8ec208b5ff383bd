package io.shopstack.dns.resolver.serving;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.shopstack.dns.edns.Edns;
import io.shopstack.dns.resolver.cache.RecordCache;
import io.shopstack.dns.resolver.cache.WireForms;
import io.shopstack.dns.resolver.iteration.IterativeResolver;
import io.shopstack.dns.server.Transport;
import java.net.InetSocketAddress;

/**
 * The cache hit before the query is parsed: a query for a name everyone gets the same answer for
 * (no ECS scope), asked before in the same shape while the entry lives, gets the bytes the full
 * path encoded then, with its own ID, question spelling and the TTLs the entry has left written
 * over them. Nothing is parsed into dnsjava objects, nothing encoded, no resolution state made; the
 * first query of each entry and shape takes the full path, which keeps its encoding.
 *
 * <p>Declines (null), leaving the query to the full path, whenever that path would answer
 * differently or do more: a client outside the allow-list or over its rate (refused there), ECS or
 * a cookie in the query, a scoped answer, a CNAME to follow, an entry due for prefetch, or kept
 * bytes that do not fit the query's size or header. {@code CacheHitReplayTest} checks its answers
 * byte for byte against the full path's.
 */
final class CacheHitReplay {
  private static final FastThreadLocal<WireQuery> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected WireQuery initialValue() {
          return new WireQuery();
        }
      };

  private final IterativeResolver resolver;
  private final AllowList allowList;
  private final ClientRateLimit rateLimit;
  private final ResolverMetrics metrics;

  CacheHitReplay(
      IterativeResolver resolver,
      AllowList allowList,
      ClientRateLimit rateLimit,
      ResolverMetrics metrics) {
    this.resolver = resolver;
    this.allowList = allowList;
    this.rateLimit = rateLimit;
    this.metrics = metrics;
  }

  /** The answer to {@code wire} in a new buffer after {@code headroom} bytes, or null. */
  ByteBuf answer(
      ByteBufAllocator alloc,
      int headroom,
      ByteBuf wire,
      InetSocketAddress client,
      Transport transport) {
    long started = System.nanoTime();
    WireQuery query = SCRATCH.get();
    if (!query.read(wire, transport, Edns.PAYLOAD_SIZE)
        || !allowList.permits(client.getAddress())) {
      return null;
    }
    RecordCache.Replayable hit = resolver.cachedForReplay(query.key);
    if (hit == null) {
      return null;
    }
    WireForms.Kept kept = hit.forms().get(query.shape());
    if (kept == null || kept.wire().length > query.limit || !query.headerFits(kept.wire())) {
      return null;
    }
    if (!rateLimit.permits(client.getAddress())) {
      // The full path asks again (an empty bucket stays empty) and refuses, counting it.
      return null;
    }
    metrics.query();
    metrics.cacheHit();
    ByteBuf out = alloc.ioBuffer(headroom + kept.wire().length);
    out.writerIndex(headroom).writeBytes(kept.wire());
    WireForms.replayTtls(out, headroom, kept, hit.secondsLeft());
    out.setShort(headroom, query.id);
    // The question as the client spelt it (0x20): same length as the kept one's, so every
    // compression pointer after it still points where it did.
    out.setBytes(headroom + 12, wire, query.nameAt, query.nameLength);
    metrics.answered(started);
    return out;
  }
}
