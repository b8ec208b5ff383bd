package io.shopstack.slb.health;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.BackendQueue;
import io.shopstack.slb.backend.ConnectObserver;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Probes every backend of a pool on its own schedule and moves it in and out of rotation through
 * its {@link BackendHealth}. The next probe of a backend is scheduled only when the previous one
 * has ended, so a slow backend is never probed twice at once; the first probes are spread over one
 * interval so that many backends are not all probed in the same instant (HAProxy's {@code
 * spread-checks}).
 */
public final class HealthChecker implements ConnectObserver, AutoCloseable {
  private final HealthCheck check;
  private final HealthProbe probe;
  private final EventLoopGroup loops;
  private final List<BackendHealth> backends;
  private final BackendQueue queue;
  private volatile boolean closed;

  public HealthChecker(
      HealthCheck check,
      BackendPool pool,
      EventLoopGroup loops,
      Class<? extends SocketChannel> channelType) {
    this.check = check;
    this.probe = new HealthProbe(check, channelType);
    this.loops = loops;
    this.queue = pool.queue();
    this.backends =
        pool.backends().stream()
            .map(b -> new BackendHealth(b, check.rise(), check.fall()))
            .toList();
  }

  /** Starts probing; does nothing when the check type is {@code none}. */
  public HealthChecker start() {
    if (check.enabled()) {
      for (BackendHealth health : backends) {
        long firstDelay = ThreadLocalRandom.current().nextLong(check.intervalMillis() + 1L);
        schedule(loops.next(), health, firstDelay);
      }
    }
    return this;
  }

  private void schedule(EventLoop loop, BackendHealth health, long delayMillis) {
    if (closed) {
      return;
    }
    ScheduledFuture<?> unused =
        loop.schedule(() -> probeOnce(loop, health), delayMillis, TimeUnit.MILLISECONDS);
  }

  private void probeOnce(EventLoop loop, BackendHealth health) {
    if (closed) {
      return;
    }
    if (health.backend().adminState() == AdminState.MAINT) {
      schedule(loop, health, check.intervalMillis()); // taken out for work: not checked
      return;
    }
    probe
        .run(loop, health.backend().address())
        .addListener(
            done -> {
              if (!closed) {
                health.record((String) done.getNow());
                queue.rotationChanged(); // one that came back may take queued clients
                schedule(loop, health, check.intervalMillis());
              }
            });
  }

  /**
   * {@code backend} leaves maintenance, during which it was not checked: with checks, it stays out
   * of rotation until {@code rise} of them pass.
   */
  public void maintenanceEnded(Backend backend) {
    if (check.enabled()) {
      of(backend).mustRiseAgain("left maintenance");
    }
  }

  @Override
  public void connected(Backend backend) {
    if (check.enabled()) {
      of(backend).trafficConnected();
    }
  }

  /**
   * Passive ejection needs the active check to bring the backend back, so without one (type {@code
   * none}) traffic failures only count in the metrics.
   */
  @Override
  public void connectFailed(Backend backend, String reason) {
    if (check.enabled()) {
      of(backend).trafficFailed(reason);
    }
  }

  /** The health of each backend, in configuration order. */
  public List<BackendHealth> backends() {
    return backends;
  }

  /** The health record of {@code backend}. */
  public BackendHealth of(Backend backend) {
    for (BackendHealth health : backends) {
      if (health.backend() == backend) {
        return health;
      }
    }
    throw new IllegalArgumentException(backend + " is not in this pool");
  }

  @Override
  public void close() {
    closed = true;
  }
}
