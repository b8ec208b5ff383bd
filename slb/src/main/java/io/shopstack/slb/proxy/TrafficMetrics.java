package io.shopstack.slb.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the SLB reports on /metrics, in the spirit of HAProxy's frontend and server counters: client
 * connections accepted and open, per-backend connections and connect failures, and bytes in (from
 * clients) and out (to clients).
 */
public final class TrafficMetrics {
  private final Counter accepted;
  private final AtomicInteger active = new AtomicInteger();
  private final Counter noBackend;
  private final Counter idleClosed;
  private final Counter firstByteTimeouts;
  private final Counter openAtStop;
  private final Counter noSocket;
  private final Counter queued;
  private final Counter queueTimeouts;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final Map<Backend, Counter> backendConnections;
  private final Map<Backend, Counter> connectFailures;

  public TrafficMetrics(MeterRegistry registry, BackendPool pool) {
    accepted =
        Counter.builder("slb_connections_accepted")
            .description("client connections accepted")
            .register(registry);
    Gauge.builder("slb_connections_active", active, AtomicInteger::get)
        .description("client connections open now")
        .register(registry);
    noBackend =
        Counter.builder("slb_connections_no_backend")
            .description("client connections closed because no backend could be reached")
            .register(registry);
    idleClosed =
        Counter.builder("slb_connections_idle_closed")
            .description("spliced connections closed after the idle timeout")
            .register(registry);
    firstByteTimeouts =
        Counter.builder("slb_connections_first_byte_timeout")
            .description("clients closed for sending nothing within the first-byte timeout")
            .register(registry);
    openAtStop =
        Counter.builder("slb_connections_open_at_stop")
            .description("spliced connections still open when the SLB began to stop")
            .register(registry);
    noSocket =
        Counter.builder("slb_connections_no_socket")
            .description(
                "clients refused because the SLB could not open a backend socket (file descriptors)")
            .register(registry);
    queued =
        Counter.builder("slb_connections_queued")
            .description(
                "clients that waited in the queue because every backend was at its maxconn")
            .register(registry);
    queueTimeouts =
        Counter.builder("slb_connections_queue_timeout")
            .description("queued clients closed after the queue timeout, no backend slot freed")
            .register(registry);
    Gauge.builder("slb_queue_length", pool.queue(), q -> q.size())
        .description("clients waiting for a backend slot now")
        .register(registry);
    bytesIn =
        Counter.builder("slb_bytes_in")
            .description("bytes received from clients")
            .register(registry);
    bytesOut =
        Counter.builder("slb_bytes_out").description("bytes sent to clients").register(registry);
    for (Backend backend : pool.backends()) {
      Gauge.builder("slb_backend_connections_active", backend, Backend::activeConnections)
          .tag("backend", backend.name())
          .description("client connections spliced to this backend now")
          .register(registry);
      Gauge.builder("slb_backend_up", backend, b -> b.isUp() ? 1 : 0)
          .tag("backend", backend.name())
          .description("1 while the backend's checks say UP, 0 while they hold it out")
          .register(registry);
      Gauge.builder("slb_backend_in_rotation", backend, b -> b.inRotation() ? 1 : 0)
          .tag("backend", backend.name())
          .description("1 while it takes new connections: UP, ready (not drained or in maint)")
          .register(registry);
    }
    backendConnections =
        perBackend(
            pool,
            b ->
                Counter.builder("slb_backend_connections")
                    .tag("backend", b.name())
                    .description("client connections spliced to this backend")
                    .register(registry));
    connectFailures =
        perBackend(
            pool,
            b ->
                Counter.builder("slb_backend_connect_failures")
                    .tag("backend", b.name())
                    .description("connection attempts refused or timed out")
                    .register(registry));
  }

  private static Map<Backend, Counter> perBackend(
      BackendPool pool, Function<Backend, Counter> counter) {
    return pool.backends().stream().collect(Collectors.toUnmodifiableMap(b -> b, counter));
  }

  void clientOpened() {
    accepted.increment();
    active.incrementAndGet();
  }

  void clientClosed() {
    active.decrementAndGet();
  }

  void noBackend() {
    noBackend.increment();
  }

  void idleClosed() {
    idleClosed.increment();
  }

  void firstByteTimedOut() {
    firstByteTimeouts.increment();
  }

  void openAtStop() {
    openAtStop.increment();
  }

  void noSocket() {
    noSocket.increment();
  }

  void queued() {
    queued.increment();
  }

  void queueTimedOut() {
    queueTimeouts.increment();
  }

  void backendConnected(Backend backend) {
    backendConnections.get(backend).increment();
  }

  void connectFailed(Backend backend) {
    connectFailures.get(backend).increment();
  }

  void fromClient(int bytes) {
    bytesIn.increment(bytes);
  }

  void toClient(int bytes) {
    bytesOut.increment(bytes);
  }
}
