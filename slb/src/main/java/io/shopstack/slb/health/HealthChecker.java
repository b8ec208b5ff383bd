package io.shopstack.slb.health;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.BackendQueue;
import io.shopstack.slb.backend.BackendState;
import io.shopstack.slb.backend.ConnectObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Probes every backend of a pool on its own schedule, on its own event loop (never an I/O thread of
 * the data path), and moves it in and out of rotation through its {@link BackendHealth}. The next
 * probe of a backend is scheduled only when the previous one has ended, and one asked for by the
 * data path (a client connect that timed out) never runs beside another, so a slow backend is never
 * probed twice at once; the first probes are spread over one interval so that many backends are not
 * all probed in the same instant (HAProxy's {@code spread-checks}). It follows the pool: backends
 * added at run time are probed at once, removed ones no more.
 */
public final class HealthChecker implements ConnectObserver, BackendPool.Listener, AutoCloseable {
  // All three replaced together by a reload that changes the check (see reconfigure).
  private volatile HealthCheck check;
  // Asked on every client connect: a field, not the type string compared each time.
  private volatile boolean enabled;
  private volatile HealthProbe probe;
  // Each backend's probes follow one another in a chain; a reload starts new chains on the new
  // schedule and the older ones end at their next turn, when they see they are of the past.
  private volatile int generation;
  private final Class<? extends SocketChannel> channelType;
  private final EventLoopGroup loops;
  // In pool order; backends added at run time join, removed ones leave (and their probing stops).
  private final List<BackendHealth> backends = new CopyOnWriteArrayList<>();
  private final Map<Backend, BackendHealth> byBackend = new ConcurrentHashMap<>();
  private final BackendQueue queue;
  private volatile boolean started;
  private volatile boolean closed;

  public HealthChecker(
      HealthCheck check,
      BackendPool pool,
      EventLoopGroup loops,
      Class<? extends SocketChannel> channelType) {
    this.check = check;
    this.enabled = check.enabled();
    this.probe = new HealthProbe(check, channelType);
    this.channelType = channelType;
    this.loops = loops;
    this.queue = pool.queue();
    for (Backend backend : pool.backends()) {
      if (!enabled) {
        backend.state(BackendState.UP); // nothing would ever raise one that starts DOWN
      }
      track(
          backend.state() == BackendState.DOWN
              ? BackendHealth.down(backend, check.rise(), check.fall())
              : new BackendHealth(backend, check.rise(), check.fall()));
    }
    pool.addListener(this);
  }

  private void track(BackendHealth health) {
    byBackend.put(health.backend(), health);
    backends.add(health);
  }

  /** Starts probing; does nothing when the check type is {@code none}. */
  public HealthChecker start() {
    started = true;
    if (enabled) {
      for (BackendHealth health : backends) {
        long firstDelay = ThreadLocalRandom.current().nextLong(check.intervalMillis() + 1L);
        schedule(loops.next(), health, firstDelay, generation);
      }
    }
    return this;
  }

  /**
   * Probes from now on as {@code next} says (a reload that changed the check). Each backend keeps
   * its state and history; the new rise and fall apply from its next probe, which comes within one
   * new interval (spread as at start) rather than after what was left of the old one. Checks turned
   * off put the backends that were DOWN back in rotation, as a pool without checks starts: nothing
   * would ever raise them.
   */
  public synchronized void reconfigure(HealthCheck next) {
    probe = new HealthProbe(next, channelType);
    check = next;
    enabled = next.enabled();
    int chain = ++generation;
    for (BackendHealth health : backends) {
      health.retune(next.rise(), next.fall());
      if (!next.enabled()) {
        health.checksOff();
      } else if (started) {
        long delay = ThreadLocalRandom.current().nextLong(next.intervalMillis() + 1L);
        schedule(loops.next(), health, delay, chain);
      }
    }
    queue.rotationChanged(); // a backend that came back may take queued clients
  }

  /**
   * A backend joined the pool at run time. Added DOWN, it is probed at once, so it is in rotation
   * after {@code rise} probes, one interval apart (HAProxy's "down until rise"). Without checks
   * nothing would ever raise it: it is put UP.
   */
  @Override
  public void added(Backend backend) {
    BackendHealth health =
        backend.state() == BackendState.DOWN
            ? BackendHealth.down(backend, check.rise(), check.fall())
            : new BackendHealth(backend, check.rise(), check.fall());
    if (!enabled && backend.state() == BackendState.DOWN) {
      backend.state(BackendState.UP);
    }
    track(health);
    if (started && enabled) {
      schedule(loops.next(), health, 0, generation);
    }
  }

  /** A backend left the pool: its probing stops at its next turn. */
  @Override
  public void removed(Backend backend) {
    BackendHealth health = byBackend.remove(backend);
    if (health != null) {
      backends.remove(health);
    }
  }

  private void schedule(EventLoop loop, BackendHealth health, long delayMillis, int chain) {
    if (closed) {
      return;
    }
    ScheduledFuture<?> unused =
        loop.schedule(() -> probeOnce(loop, health, chain), delayMillis, TimeUnit.MILLISECONDS);
  }

  private void probeOnce(EventLoop loop, BackendHealth health, int chain) {
    if (closed || chain != generation || byBackend.get(health.backend()) != health) {
      return; // stopped, reconfigured (a newer chain probes it), or it has left the pool
    }
    if (health.backend().adminState() == AdminState.MAINT || !health.beginProbe()) {
      // Taken out for work: not checked. Or a probe the data path asked for is under way.
      schedule(loop, health, check.intervalMillis(), chain);
      return;
    }
    probe(loop, health, chain, () -> schedule(loop, health, check.intervalMillis(), chain));
  }

  /**
   * One probe; its verdict counts only while the check it was made for is still the check (a reload
   * may have changed it, or turned checks off, while it ran).
   */
  private void probe(EventLoop loop, BackendHealth health, int chain, Runnable then) {
    probe
        .run(loop, health.backend().address())
        .addListener(
            done -> {
              health.endProbe();
              if (!closed && chain == generation && enabled) {
                health.record((String) done.getNow());
                queue.rotationChanged(); // one that came back may take queued clients
                then.run();
              }
            });
  }

  /**
   * {@code backend} leaves maintenance, during which it was not checked: with checks, it stays out
   * of rotation until {@code rise} of them pass.
   */
  public void maintenanceEnded(Backend backend) {
    BackendHealth health = byBackend.get(backend);
    if (enabled && health != null) {
      health.mustRiseAgain("left maintenance");
    }
  }

  @Override
  public void connected(Backend backend) {
    if (enabled) {
      BackendHealth health = byBackend.get(backend);
      if (health != null) { // null: removed from the pool meanwhile
        health.trafficConnected();
      }
    }
  }

  /**
   * Passive ejection needs the active check to bring the backend back, so without one (type {@code
   * none}) traffic failures only count in the metrics.
   */
  @Override
  public void connectFailed(Backend backend, String reason) {
    BackendHealth health = byBackend.get(backend);
    if (enabled && health != null) {
      health.trafficFailed(reason);
    }
  }

  /**
   * A client's connect to {@code backend} timed out. Under load a live backend's accept queue
   * overflows and connects time out in bursts, so the data path's busiest moments do not judge: the
   * backend is probed now (HAProxy's {@code observe layer4} with {@code on-error fastinter}), its
   * own timeout and the usual {@code fall} decide. A refused connect is proof enough and counts at
   * once ({@link #connectFailed}).
   */
  @Override
  public void connectTimedOut(Backend backend) {
    BackendHealth health = byBackend.get(backend);
    if (closed || !enabled || health == null || !health.beginProbe()) {
      return; // no checks, or a probe is under way: its verdict will do
    }
    EventLoop loop = loops.next();
    try {
      int chain = generation;
      loop.execute(() -> probe(loop, health, chain, () -> {}));
    } catch (RejectedExecutionException stopping) {
      health.endProbe();
    }
  }

  /** The health of each backend, in configuration order. */
  public List<BackendHealth> backends() {
    return backends;
  }

  /** The health record of {@code backend}. */
  public BackendHealth of(Backend backend) {
    BackendHealth health = byBackend.get(backend);
    if (health == null) {
      throw new IllegalArgumentException(backend + " is not in this pool");
    }
    return health;
  }

  @Override
  public void close() {
    closed = true;
  }
}
