package io.shopstack.slb.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The first-byte and idle timeouts of every splice on one event loop, checked by one sweep a second
 * (HAProxy checks its timeouts from one timer tree the same way). A timer per connection, or
 * Netty's {@code IdleStateHandler}, cost a scheduled task set and cancelled per connection, two
 * more handlers each event passes through, and a listener on every write: on short connections that
 * was a twelfth of the SLB's own time. Here a splice costs an entry in a list, and activity is read
 * off the byte counts its {@link SpliceLog} keeps anyway, so the data path does nothing for it. A
 * timeout fires between its length and one second more after the last byte, never earlier. Each
 * splice keeps the lengths it was opened with: a reload that changes them applies to new
 * connections, as a new HAProxy process's timeouts do. Lives on its loop: every method runs there.
 */
final class SpliceTimeouts {
  private final TrafficMetrics metrics;
  private final BooleanSupplier retired;
  private final Runnable ended;
  private final ScheduledFuture<?> sweeping;
  private final ArrayList<Watch> watched = new ArrayList<>();
  private int now; // sweeps done so far: seconds, give or take a busy loop's delay

  /** One splice's place in the sweep: when it was opened and last moved bytes. */
  static final class Watch {
    private final Channel client;
    private final SpliceLog record;
    private final int firstByteSeconds;
    private final int idleSeconds;
    private final int opened;
    private long bytes;
    private int since;
    private int slot = -1;

    private Watch(
        Channel client, SpliceLog record, int firstByteSeconds, int idleSeconds, int since) {
      this.client = client;
      this.record = record;
      this.firstByteSeconds = firstByteSeconds;
      this.idleSeconds = idleSeconds;
      this.opened = since;
      this.since = since;
    }
  }

  /**
   * @param retired whether the frontend was removed: the sweep then ends once nothing is watched
   * @param ended told, on the loop, when the sweep has ended for that reason
   */
  SpliceTimeouts(EventLoop loop, TrafficMetrics metrics, BooleanSupplier retired, Runnable ended) {
    this.metrics = metrics;
    this.retired = retired;
    this.ended = ended;
    // Cancelled with the loop's other scheduled tasks when it shuts down, or by itself once its
    // frontend was removed and its last splice has ended.
    sweeping = loop.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Starts watching a client connection that has just become active, with its frontend's limits.
   */
  Watch watch(Channel client, SpliceLog record, int firstByteSeconds, int idleSeconds) {
    // Counted from the next sweep, the first that surely comes after this moment.
    Watch watch = new Watch(client, record, firstByteSeconds, idleSeconds, now + 1);
    watch.slot = watched.size();
    watched.add(watch);
    return watch;
  }

  /** Stops watching (the connection closed, or timed out); harmless twice. */
  void unwatch(Watch watch) {
    int slot = watch.slot;
    if (slot < 0) {
      return;
    }
    Watch last = watched.remove(watched.size() - 1);
    if (last != watch) {
      watched.set(slot, last);
      last.slot = slot;
    }
    watch.slot = -1;
  }

  /** Connections being watched on this loop. */
  int size() {
    return watched.size();
  }

  private void sweep() {
    if (watched.isEmpty() && retired.getAsBoolean()) {
      sweeping.cancel(false);
      ended.run();
      return;
    }
    now++;
    // Backwards: a connection closed here swaps the last one into its place, already checked.
    for (int i = watched.size() - 1; i >= 0; i--) {
      Watch watch = watched.get(i);
      long bytes = watch.record.bytes();
      if (watch.record.fromClientBytes() == 0 && now - watch.opened >= watch.firstByteSeconds) {
        // A client that never spoke (slowloris): it holds a backend connection for nothing.
        unwatch(watch);
        metrics.firstByteTimedOut();
        watch.record.end("cR");
        watch.client.close(); // the frontend's channelInactive closes the backend side
      } else if (bytes != watch.bytes) {
        // Bytes moved since the last sweep, so after the previous one: count from this one.
        watch.bytes = bytes;
        watch.since = now;
      } else if (now - watch.since >= watch.idleSeconds) {
        unwatch(watch);
        metrics.idleClosed();
        watch.record.end("cD");
        Splice.closeOnFlush(watch.client);
      }
    }
  }
}
