package io.shopstack.order.system;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the order listener open for a while after readiness went down at the start of a graceful
 * stop, so the SLB takes this instance out of rotation before its connections are refused. Spring
 * Boot reports REFUSING_TRAFFIC the moment the context starts closing, but Jetty's graceful
 * shutdown closes the listener right after: a balancer checking every 2 s would still send new
 * connections to a closed port for up to {@code fall} checks.
 *
 * <p>Stops first (phase just above the web server's graceful shutdown) and waits until the
 * balancer's checks have been answered "out of service" {@code shop.drain.probes} times, at most
 * {@code shop.drain.max-time}. Nobody to wait for, no wait: if no check came within {@code
 * shop.drain.quiet-time} (a test, a single instance, a balancer already stopped), the stop goes on
 * at once.
 */
@Component
class DrainBeforeStop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DrainBeforeStop.class);
  private static final long POLL_MILLIS = 20;

  private final ReadinessProbes probes;
  private final ShopProperties.Drain drain;
  private volatile boolean running;

  DrainBeforeStop(ReadinessProbes probes, ShopProperties shop) {
    this.probes = probes;
    this.drain = shop.drain();
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    try {
      Instant start = Instant.now();
      int before = probes.refusedProbes();
      while (stillWatched() && probes.refusedProbes() - before < drain.probes()) {
        if (Duration.between(start, Instant.now()).compareTo(drain.maxTime()) >= 0) {
          log.warn(
              "drain: {} of {} health checks saw this instance out after {}; stopping anyway",
              probes.refusedProbes() - before,
              drain.probes(),
              drain.maxTime());
          break;
        }
        TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
      }
      log.info(
          "drain: readiness down for {} ms, {} health checks answered out of service",
          Duration.between(start, Instant.now()).toMillis(),
          probes.refusedProbes() - before);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      running = false;
    }
  }

  /** A balancer is checking this instance: one of its checks came within the quiet time. */
  private boolean stillWatched() {
    Instant last = probes.lastProbe();
    return last != null && Duration.between(last, Instant.now()).compareTo(drain.quietTime()) < 0;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
  }
}
