package io.shopstack.slb.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.BackendQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * What the SLB reports on /metrics, in the spirit of HAProxy's frontend and server counters: client
 * connections accepted and open, per-backend connections and connect failures, and bytes in (from
 * clients) and out (to clients).
 */
public final class TrafficMetrics implements BackendPool.Listener {
  private final Counter accepted;
  private final AtomicInteger active = new AtomicInteger();
  private final Counter noBackend;
  private final Counter idleClosed;
  private final Counter firstByteTimeouts;
  private final Counter openAtStop;
  private final Counter noSocket;
  private final Counter queued;
  private final BackendQueue queue;
  private final Counter queueTimeouts;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final MeterRegistry registry;
  private final Tags frontend;
  // Backends come and go at run time (runtime API, reload); read per connection.
  private final Map<Backend, Counter> backendConnections = new ConcurrentHashMap<>();
  private final Map<Backend, Counter> connectFailures = new ConcurrentHashMap<>();
  private final Map<Backend, List<Meter>> backendMeters = new ConcurrentHashMap<>();
  // The frontend's own series; they leave /metrics with the frontend (see retire).
  private final List<Meter> frontendMeters = new CopyOnWriteArrayList<>();
  private volatile boolean retired;
  private final AtomicBoolean forgotten = new AtomicBoolean();

  /** The counters of one frontend and its pool, each tagged {@code frontend="name"}. */
  public TrafficMetrics(MeterRegistry registry, String frontendName, BackendPool pool) {
    this.frontend = Tags.of("frontend", frontendName);
    this.registry = registry;
    accepted =
        own(
            Counter.builder("slb_connections_accepted")
                .tags(frontend)
                .description("client connections accepted")
                .register(registry));
    own(
        Gauge.builder("slb_connections_active", active, AtomicInteger::get)
            .tags(frontend)
            .description("client connections open now")
            .register(registry));
    noBackend =
        own(
            Counter.builder("slb_connections_no_backend")
                .tags(frontend)
                .description("client connections closed because no backend could be reached")
                .register(registry));
    idleClosed =
        own(
            Counter.builder("slb_connections_idle_closed")
                .tags(frontend)
                .description("spliced connections closed after the idle timeout")
                .register(registry));
    firstByteTimeouts =
        own(
            Counter.builder("slb_connections_first_byte_timeout")
                .tags(frontend)
                .description("clients closed for sending nothing within the first-byte timeout")
                .register(registry));
    openAtStop =
        own(
            Counter.builder("slb_connections_open_at_stop")
                .tags(frontend)
                .description("spliced connections still open when the SLB began to stop")
                .register(registry));
    noSocket =
        own(
            Counter.builder("slb_connections_no_socket")
                .tags(frontend)
                .description(
                    "clients refused because the SLB could not open a backend socket (file descriptors)")
                .register(registry));
    queued =
        own(
            Counter.builder("slb_connections_queued")
                .tags(frontend)
                .description(
                    "clients that waited in the queue because every backend was at its maxconn")
                .register(registry));
    queueTimeouts =
        own(
            Counter.builder("slb_connections_queue_timeout")
                .tags(frontend)
                .description("queued clients closed after the queue timeout, no backend slot freed")
                .register(registry));
    own(
        FunctionCounter.builder(
                "slb_connections_queue_redispatched", pool.queue(), BackendQueue::redispatched)
            .tags(frontend)
            .description(
                "hashed clients sent to another backend because their own backend's queue held its"
                    + " maxqueue")
            .register(registry));
    own(
        Gauge.builder("slb_queue_length", pool.queue(), q -> q.size())
            .tags(frontend)
            .description("clients waiting for a backend slot now")
            .register(registry));
    bytesIn =
        own(
            Counter.builder("slb_bytes_in")
                .tags(frontend)
                .description("bytes received from clients")
                .register(registry));
    bytesOut =
        own(
            Counter.builder("slb_bytes_out")
                .tags(frontend)
                .description("bytes sent to clients")
                .register(registry));
    this.queue = pool.queue();
    pool.backends().forEach(this::added);
    pool.addListener(this);
  }

  /** Registered by this frontend: leaves /metrics with it. */
  public <M extends Meter> M own(M meter) {
    frontendMeters.add(meter);
    return meter;
  }

  /**
   * The frontend was removed by a reload: its series stay while its open connections finish, as a
   * removed backend's do, and leave with the last one (at once when none is open).
   */
  public void retire() {
    retired = true;
    if (active.get() == 0) {
      forget();
    }
  }

  /**
   * Takes every series of this frontend and its backends off /metrics, now: at its last connection
   * after {@link #retire}, or when a frontend of the same name is added while this one still drains
   * (its series are the new one's from then on). Once only.
   */
  public void forget() {
    if (forgotten.compareAndSet(false, true)) {
      frontendMeters.forEach(registry::remove);
      backendMeters.values().forEach(meters -> meters.forEach(registry::remove));
      // Removed by id: a backend draining later must not take out the series of a frontend of
      // the same name added since, so nothing is left here to remove.
      backendMeters.clear();
      frontendMeters.clear();
    }
  }

  private Gauge backendGauge(
      Backend backend, String name, ToDoubleFunction<Backend> value, String description) {
    return Gauge.builder(name, backend, value)
        .tag("backend", backend.name())
        .tags(frontend)
        .description(description)
        .register(registry);
  }

  /** Its gauges and counters, tagged with its name: from configuration or the runtime API. */
  @Override
  public void added(Backend backend) {
    // Re-added while its former self still drains: the series are the new one's from now on.
    backendMeters.keySet().stream()
        .filter(old -> old != backend && old.name().equals(backend.name()))
        .toList()
        .forEach(this::drained);
    List<Meter> meters = new ArrayList<>();
    meters.add(
        backendGauge(
            backend,
            "slb_backend_connections_active",
            Backend::activeConnections,
            "client connections spliced to this backend now"));
    meters.add(
        backendGauge(
            backend,
            "slb_backend_queue_length",
            queue::waitingFor,
            "clients hashed to this backend waiting for one of its slots (maglev)"));
    meters.add(
        backendGauge(
            backend,
            "slb_backend_up",
            b -> b.isUp() ? 1 : 0,
            "1 while the backend's checks say UP, 0 while they hold it out"));
    meters.add(
        backendGauge(
            backend,
            "slb_backend_in_rotation",
            b -> b.inRotation() ? 1 : 0,
            "1 while it takes new connections: UP, ready (not drained or in maint)"));
    Counter connections =
        Counter.builder("slb_backend_connections")
            .tag("backend", backend.name())
            .tags(frontend)
            .description("client connections spliced to this backend")
            .register(registry);
    Counter failures =
        Counter.builder("slb_backend_connect_failures")
            .tag("backend", backend.name())
            .tags(frontend)
            .description("connection attempts refused or timed out")
            .register(registry);
    meters.add(connections);
    meters.add(failures);
    backendConnections.put(backend, connections);
    connectFailures.put(backend, failures);
    backendMeters.put(backend, meters);
  }

  /** Still counted while its open connections finish: its gauges show the drain. */
  @Override
  public void removed(Backend backend) {}

  /** Its last connection has closed: its series leave /metrics. */
  @Override
  public void drained(Backend backend) {
    backendConnections.remove(backend);
    connectFailures.remove(backend);
    List<Meter> meters = backendMeters.remove(backend);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }

  /** Client connections spliced to {@code backend} since it joined (0 once it has left). */
  public long connections(Backend backend) {
    Counter counter = backendConnections.get(backend);
    return counter == null ? 0 : (long) counter.count();
  }

  /** Connection attempts {@code backend} refused or let time out since it joined. */
  public long connectFailures(Backend backend) {
    Counter counter = connectFailures.get(backend);
    return counter == null ? 0 : (long) counter.count();
  }

  /** Client connections open now. */
  public int active() {
    return active.get();
  }

  void clientOpened() {
    accepted.increment();
    active.incrementAndGet();
  }

  void clientClosed() {
    if (active.decrementAndGet() == 0 && retired) {
      forget();
    }
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
    Counter counter = backendConnections.get(backend);
    if (counter != null) { // null: removed and drained while this one was connecting
      counter.increment();
    }
  }

  void connectFailed(Backend backend) {
    Counter counter = connectFailures.get(backend);
    if (counter != null) {
      counter.increment();
    }
  }

  void fromClient(int bytes) {
    bytesIn.increment(bytes);
  }

  void toClient(int bytes) {
    bytesOut.increment(bytes);
  }
}
