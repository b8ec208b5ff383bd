package io.shopstack.edge.origin;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to the origins, kept per event loop so that a miss reuses one without
 * crossing threads (and without locks: each loop's part is only touched on that loop), as Varnish
 * keeps backend connections open. At most {@code maxIdlePerOrigin} wait per origin and loop; each
 * is closed after {@code idleMillis} unused, before a typical origin's own keep-alive timeout
 * (nginx 75 s, Jetty 30 s) so that we, not the origin, close idle connections, and a request rarely
 * meets one the origin has just dropped. The most recently used connection is reused first, so the
 * others age out when traffic falls.
 */
final class OriginPool {
  private static final AttributeKey<ScheduledFuture<?>> IDLE_TIMER =
      AttributeKey.valueOf("edge.origin.idleTimer");

  private final int maxIdlePerOrigin;
  private final long idleMillis;
  private final Map<EventLoop, Map<Origin, ArrayDeque<Channel>>> idle =
      new java.util.concurrent.ConcurrentHashMap<>();

  OriginPool(int maxIdlePerOrigin, long idleMillis) {
    this.maxIdlePerOrigin = maxIdlePerOrigin;
    this.idleMillis = idleMillis;
  }

  /** An open idle connection to {@code origin} on {@code loop}, or null. Call on that loop. */
  Channel acquire(Origin origin, EventLoop loop) {
    ArrayDeque<Channel> channels = channels(origin, loop);
    Channel channel;
    while ((channel = channels.pollFirst()) != null) {
      ScheduledFuture<?> timer = channel.attr(IDLE_TIMER).getAndSet(null);
      if (timer != null) {
        timer.cancel(false);
      }
      if (channel.isActive()) {
        return channel;
      }
    }
    return null;
  }

  /**
   * A connection whose exchange ended cleanly: kept for the next miss, or closed if enough wait.
   */
  void release(Origin origin, Channel channel) {
    ArrayDeque<Channel> channels = channels(origin, channel.eventLoop());
    if (channels.size() >= maxIdlePerOrigin) {
      channel.close();
      return;
    }
    channels.addFirst(channel);
    channel
        .attr(IDLE_TIMER)
        .set(
            channel.eventLoop().schedule(() -> channel.close(), idleMillis, TimeUnit.MILLISECONDS));
  }

  /** A connection that closed: it must not be handed out again. */
  void forget(Origin origin, Channel channel) {
    channels(origin, channel.eventLoop()).remove(channel);
  }

  /** Idle connections to {@code origin} on every loop (for tests and metrics). */
  int idle(Origin origin) {
    int n = 0;
    for (Map<Origin, ArrayDeque<Channel>> byOrigin : idle.values()) {
      ArrayDeque<Channel> channels = byOrigin.get(origin);
      n += channels == null ? 0 : channels.size();
    }
    return n;
  }

  private ArrayDeque<Channel> channels(Origin origin, EventLoop loop) {
    return idle.computeIfAbsent(loop, l -> new HashMap<>())
        .computeIfAbsent(origin, o -> new ArrayDeque<>());
  }
}
