package io.shopstack.order.system;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Counts the load balancer's health checks ({@code /health} and {@code /health/readiness} both ask
 * this indicator), so that a graceful stop knows whether anyone is balancing on this instance and
 * when the balancer has been told often enough that it is out. Always UP itself: the readiness
 * state beside it is what goes down.
 */
@Component("probes")
class ReadinessProbes implements HealthIndicator {

  private final ApplicationAvailability availability;
  private final AtomicReference<Instant> last = new AtomicReference<>();
  private final AtomicInteger refused = new AtomicInteger();

  ReadinessProbes(ApplicationAvailability availability) {
    this.availability = availability;
  }

  @Override
  public Health health() {
    last.set(Instant.now());
    if (availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC) {
      refused.incrementAndGet();
    }
    return Health.up().build();
  }

  /** When the last check came, or null if none ever did. */
  Instant lastProbe() {
    return last.get();
  }

  /** How many checks were answered while this instance refused traffic. */
  int refusedProbes() {
    return refused.get();
  }
}
