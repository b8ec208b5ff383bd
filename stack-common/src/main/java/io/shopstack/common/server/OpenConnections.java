package io.shopstack.common.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections the listeners of one server have accepted and that are still open, so that
 * stopping can drain them: tell each that the server stops, wait for them to end, cut the rest at
 * the deadline. A sharable handler on every listening socket ({@link #acceptor()}) records each
 * accepted connection as the listener reads it.
 */
final class OpenConnections {
  // A forced close is a task on the connection's loop; the loops are still running at this point,
  // so this only bounds a loop that is stuck.
  private static final Duration CUT_WAIT = Duration.ofSeconds(1);

  private final Set<Channel> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger lateArrivals = new AtomicInteger();
  private final Tracker tracker = new Tracker();
  private final Acceptor acceptor = new Acceptor();
  private boolean draining; // guarded by this, with the snapshot of open connections

  /** The handler for a listening socket's own pipeline. */
  Acceptor acceptor() {
    return acceptor;
  }

  int size() {
    return open.size();
  }

  /**
   * Fires {@link ShutdownRequested} at every open connection, waits until all have closed or the
   * deadline has passed, then closes what is left. Call it after the listeners are closed.
   */
  DrainFigures drain(Duration deadline) {
    long begin = System.nanoTime();
    List<Channel> atStart;
    synchronized (this) {
      // From here on, a connection is either in this snapshot or told by its tracker.
      draining = true;
      atStart = List.copyOf(open);
    }
    for (Channel connection : atStart) {
      if (connection.isRegistered()) {
        connection.pipeline().fireUserEventTriggered(ShutdownRequested.INSTANCE);
      } else {
        // Accepted, not yet on its event loop (NIO hands it over): an event now has no thread.
        connection.pipeline().addFirst(tracker);
      }
    }
    long until = begin + deadline.toNanos();
    for (Channel next = any(); next != null; next = any()) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        break;
      }
      next.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
    }
    List<Future<Void>> cuts = new ArrayList<>();
    int cutUnregistered = 0;
    for (Channel connection : open) {
      if (connection.isRegistered()) {
        cuts.add(connection.close());
      } else {
        // Accepted, never given an event loop (held by a frontend's maxconn): no loop can run its
        // close, and its close future would never complete.
        connection.unsafe().closeForcibly();
        open.remove(connection);
        cutUnregistered++;
      }
    }
    long cutUntil = System.nanoTime() + CUT_WAIT.toNanos();
    for (Future<Void> cut : cuts) {
      cut.awaitUninterruptibly(Math.max(0, cutUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    int seen = atStart.size() + lateArrivals.get();
    int cut = cuts.size() + cutUnregistered;
    return new DrainFigures(seen, seen - cut, cut, (System.nanoTime() - begin) / 1_000_000);
  }

  /**
   * One connection still open, or null. One closed without an event loop (a frontend's maxconn
   * closes the clients it held, never registered, with {@code closeForcibly}, which completes no
   * close future) is forgotten here instead of being waited for until the deadline.
   */
  private Channel any() {
    for (var it = open.iterator(); it.hasNext(); ) {
      Channel next = it.next();
      if (next.isOpen() || next.isRegistered()) {
        return next;
      }
      it.remove();
    }
    return null;
  }

  /**
   * On a listening socket: records each accepted connection before its own setup. Only one accepted
   * while the server is already stopping gets a tracker in its pipeline, to be told once it is on
   * its event loop; adding and removing a handler for every connection cost each one a pipeline
   * change twice over.
   */
  @Sharable
  final class Acceptor extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
      if (accepted instanceof Channel connection) {
        boolean late;
        synchronized (OpenConnections.this) {
          open.add(connection);
          late = draining;
        }
        connection.closeFuture().addListener(closed -> open.remove(connection));
        if (late) {
          lateArrivals.incrementAndGet();
          connection.pipeline().addFirst(tracker);
        }
      }
      ctx.fireChannelRead(accepted);
    }
  }

  /** Tells a connection accepted after the stop began, once it is on its event loop. */
  @Sharable
  private final class Tracker extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel connection) {
      // Once the server's own handlers, added after this one, are in place.
      connection
          .eventLoop()
          .execute(() -> connection.pipeline().fireUserEventTriggered(ShutdownRequested.INSTANCE));
    }
  }
}
