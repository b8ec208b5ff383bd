package io.shopstack.slb.backend;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One order-service instance behind the VIP: where it listens, whether it is in rotation, and how
 * many client connections are spliced to it right now (the figure a least-connections policy or an
 * operator draining the instance would look at).
 */
public final class Backend {
  private final InetSocketAddress address;
  private final String name;
  private final int weight;
  private final AtomicInteger activeConnections = new AtomicInteger();
  private volatile BackendState state = BackendState.UP;

  public Backend(InetSocketAddress address) {
    this(new BackendSpec(address));
  }

  public Backend(BackendSpec spec) {
    this.address = spec.address();
    this.weight = spec.weight();
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

  public int activeConnections() {
    return activeConnections.get();
  }

  /** A client connection was spliced to this backend. */
  public void connectionOpened() {
    activeConnections.incrementAndGet();
  }

  /** A spliced connection ended. */
  public void connectionClosed() {
    activeConnections.decrementAndGet();
  }

  @Override
  public String toString() {
    return name + " (" + state + ")";
  }
}
