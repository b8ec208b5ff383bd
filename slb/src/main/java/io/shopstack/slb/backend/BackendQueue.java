package io.shopstack.slb.backend;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients waiting for a backend connection slot while every backend in rotation holds its {@code
 * maxconn} (HAProxy's backend queue, bounded in time by {@code timeout queue} on the caller's
 * side). First come, first served: while anyone waits, a new client queues behind them instead of
 * taking a slot that has just been freed. Each freed slot, and each backend coming back into
 * rotation, hands slots to the head of the queue. A queued client takes the first backend of its
 * own order that has room, so a Maglev client keeps its backend if that one frees first.
 */
public final class BackendQueue {
  /** One waiting client, as the queue sees it. */
  public interface Waiter {
    /** The backends it may go to now, in its balancing order; asked under the queue's lock. */
    List<Backend> candidates();

    /**
     * It has a slot on {@code backend}, taken for it; called under the queue's lock, so it must
     * only hand the work to its own thread. It gives the slot back through {@link #release}.
     */
    void granted(Backend backend);
  }

  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  // Read without the lock on every new connection and every release: nobody waiting is the
  // common case and must cost no lock.
  private final AtomicInteger size = new AtomicInteger();

  /**
   * Takes a slot on the first of {@code candidates} with room, unless clients are already waiting;
   * null when the caller must {@link #enqueue} (or, with no candidates at all, give up).
   */
  public Backend acquire(List<Backend> candidates) {
    return size.get() > 0 ? null : firstWithRoom(candidates);
  }

  /** Puts a client at the back of the queue; it may be served at once if a slot is free by now. */
  public synchronized void enqueue(Waiter waiter) {
    waiting.addLast(waiter);
    size.incrementAndGet();
    dispatch();
  }

  /** Takes a client out (it timed out or left); false if it has been served meanwhile. */
  public synchronized boolean remove(Waiter waiter) {
    if (waiting.remove(waiter)) {
      size.decrementAndGet();
      return true;
    }
    return false;
  }

  /** Gives back a slot taken by {@link #acquire} or {@link Waiter#granted}. */
  public void release(Backend backend) {
    backend.connectionClosed();
    // After the decrement: a client queueing at this moment either sees the free slot when it
    // enqueues or is seen here.
    if (size.get() > 0) {
      synchronized (this) {
        dispatch();
      }
    }
  }

  /** A backend came into rotation: it may take queued clients. */
  public void rotationChanged() {
    if (size.get() > 0) {
      synchronized (this) {
        dispatch();
      }
    }
  }

  /** How many clients wait now. */
  public int size() {
    return size.get();
  }

  private void dispatch() {
    while (!waiting.isEmpty()) {
      Waiter head = waiting.peekFirst();
      Backend backend = firstWithRoom(head.candidates());
      if (backend == null) {
        return; // the others would find every backend just as full
      }
      waiting.pollFirst();
      size.decrementAndGet();
      head.granted(backend);
    }
  }

  private static Backend firstWithRoom(List<Backend> candidates) {
    for (Backend backend : candidates) {
      if (backend.tryAcquire()) {
        return backend;
      }
    }
    return null;
  }
}
