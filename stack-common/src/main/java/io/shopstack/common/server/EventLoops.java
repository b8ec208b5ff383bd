package io.shopstack.common.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The event loop groups of one server instance. Threads are named {@code <instance>-<purpose>-...},
 * so a thread dump (or a test) can tell which instance of which service owns them when many run in
 * one JVM.
 */
final class EventLoops {
  private final String instance;
  private final Transport transport;
  private final List<EventLoopGroup> groups = new ArrayList<>();

  EventLoops(String instance, Transport transport) {
    this.instance = instance;
    this.transport = transport;
  }

  /**
   * @param threads 0 for Netty's default (twice the cores)
   */
  synchronized EventLoopGroup open(String purpose, int threads) {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            threads,
            new DefaultThreadFactory(instance + "-" + purpose),
            transport.ioHandlerFactory());
    groups.add(group);
    return group;
  }

  /**
   * Shuts every group down at once and waits for them. Work still arriving keeps a loop alive for
   * up to the quiet period each time; the deadline ends it regardless, as HAProxy's hard-stop-after
   * does. Returns false if a group outlived the deadline.
   */
  synchronized boolean shutDown(Duration quietPeriod, Duration deadline) {
    List<Future<?>> terminations = new ArrayList<>();
    for (int i = groups.size() - 1; i >= 0; i--) {
      terminations.add(
          groups
              .get(i)
              .shutdownGracefully(
                  quietPeriod.toMillis(), deadline.toMillis(), TimeUnit.MILLISECONDS));
    }
    groups.clear();
    // A loop needs a moment past its deadline to close its channels and end its thread.
    long waitUntil = System.nanoTime() + deadline.plusSeconds(1).toNanos();
    boolean allEnded = true;
    for (Future<?> termination : terminations) {
      long left = Math.max(0, waitUntil - System.nanoTime());
      allEnded &= termination.awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
    }
    return allEnded;
  }
}
