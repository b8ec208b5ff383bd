package io.shopstack.slb.backend;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One order-service instance behind the VIP: where it listens, whether it is in rotation (its
 * checks say UP and the operator has it READY), and how many client connections it holds right now,
 * counted from the connect attempt on (the figure a least-connections policy, its {@code maxconn}
 * or an operator draining the instance looks at).
 */
public final class Backend {
  private final InetSocketAddress address;
  private final String name;
  private volatile int weight;
  private volatile int maxConnections;
  private volatile int maxQueue;
  private final AtomicInteger activeConnections = new AtomicInteger();
  // Bytes of its splices, counted as they move (the admin port's per-backend figures); adders, as
  // every I/O thread adds to them.
  private final LongAdder fromClients = new LongAdder();
  private final LongAdder toClients = new LongAdder();
  private volatile BackendState state = BackendState.UP;
  private volatile AdminState adminState = AdminState.READY;
  // Set once it has left the pool (a runtime removal or a reload): it takes nothing new, its
  // open connections finish, and this runs when the last one has closed.
  private volatile Runnable whenDrained;
  private final AtomicBoolean drained = new AtomicBoolean();

  public Backend(InetSocketAddress address) {
    this(new BackendSpec(address));
  }

  public Backend(BackendSpec spec) {
    this.address = spec.address();
    this.weight = spec.weight();
    this.maxConnections = spec.maxConnections();
    this.maxQueue = spec.maxQueue();
    this.name = address.getHostString() + ":" + address.getPort();
  }

  /** Its share of new connections relative to the pool's other backends; 0 takes none. */
  public int weight() {
    return weight;
  }

  public InetSocketAddress address() {
    return address;
  }

  /** {@code host:port}, as written in the configuration; used as the metrics tag. */
  public String name() {
    return name;
  }

  public BackendState state() {
    return state;
  }

  public void state(BackendState state) {
    this.state = state;
  }

  public boolean isUp() {
    return state == BackendState.UP;
  }

  public AdminState adminState() {
    return adminState;
  }

  public void adminState(AdminState adminState) {
    this.adminState = adminState;
  }

  /**
   * Takes new connections: in the pool, its checks say UP, the operator has it READY, and its
   * weight is not 0.
   */
  public boolean inRotation() {
    return state == BackendState.UP
        && adminState == AdminState.READY
        && weight > 0
        && whenDrained == null;
  }

  /**
   * Takes the weight, maxconn and maxqueue of {@code spec} (same address): a reload that changed
   * them.
   */
  public void respec(BackendSpec spec) {
    if (!spec.address().equals(address)) {
      throw new IllegalArgumentException(spec.address() + " is not " + name);
    }
    this.weight = spec.weight();
    this.maxConnections = spec.maxConnections();
    this.maxQueue = spec.maxQueue();
  }

  /** Its weight, maxconn and maxqueue as they are now. */
  public BackendSpec spec() {
    return new BackendSpec(address, weight, maxConnections, maxQueue, null);
  }

  /**
   * It has left the pool: no new connection from now on; {@code drained} runs once, when its last
   * open connection has closed (at once if it has none).
   */
  void retire(Runnable drained) {
    this.whenDrained = drained;
    if (activeConnections.get() == 0) {
      finishDrain();
    }
  }

  /** Whether it has left the pool; its open connections may still be running. */
  public boolean retired() {
    return whenDrained != null;
  }

  private void finishDrain() {
    Runnable hook = whenDrained;
    if (hook != null && drained.compareAndSet(false, true)) {
      hook.run();
    }
  }

  /** The most connections it may hold at once; 0 for no limit. */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * The most hashed clients that may wait in its own queue (HAProxy's server {@code maxqueue}); the
   * next goes to another backend. 0 for no limit.
   */
  public int maxQueue() {
    return maxQueue;
  }

  public int activeConnections() {
    return activeConnections.get();
  }

  /**
   * Takes one of its connection slots for a new client, unless all {@code maxconn} are taken. The
   * slot is held from the connect attempt until the backend connection closes (or the attempt
   * fails): a backend still accepting counts, as in HAProxy.
   */
  public boolean tryAcquire() {
    if (maxConnections == 0) {
      activeConnections.incrementAndGet();
      return true;
    }
    for (int now = activeConnections.get(); now < maxConnections; now = activeConnections.get()) {
      if (activeConnections.compareAndSet(now, now + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Bytes its clients sent through to it. */
  public long bytesFromClients() {
    return fromClients.sum();
  }

  /** Bytes it answered to its clients. */
  public long bytesToClients() {
    return toClients.sum();
  }

  public void fromClient(long bytes) {
    fromClients.add(bytes);
  }

  public void toClient(long bytes) {
    toClients.add(bytes);
  }

  /** A client connection was given to this backend regardless of its limit. */
  public void connectionOpened() {
    activeConnections.incrementAndGet();
  }

  /** A connection ended, or its connect failed: the slot is free again. */
  public void connectionClosed() {
    if (activeConnections.decrementAndGet() == 0 && whenDrained != null) {
      finishDrain();
    }
  }

  @Override
  public String toString() {
    return adminState == AdminState.READY
        ? name + " (" + state + ")"
        : name + " (" + state + ", " + adminState.label() + ")";
  }
}
