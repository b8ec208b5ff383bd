package io.shopstack.slb.backend;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients waiting for a backend connection slot (HAProxy's queues, bounded in time by {@code
 * timeout queue} on the caller's side). A client balanced by rotation waits in the pool's queue
 * while every backend in rotation holds its {@code maxconn}, and takes the first of its own order
 * that frees a slot. A client pinned to one backend by hashing (Maglev) waits in that backend's own
 * queue while that backend is full, even if others have room: its affinity is the point, as in
 * HAProxy, where a hash-balanced request queues on its server. Only if its backend leaves rotation
 * does it move, to the backend its hash now names. A backend's queue holds at most its {@code
 * maxqueue} clients when it has one (HAProxy's server {@code maxqueue}): the next is redispatched,
 * to the first backend of its order with room, giving up its affinity rather than waiting for a
 * backend that is falling behind. First come, first served across the queues: while anyone waits
 * for a backend, a newcomer for it queues behind them, and each freed slot goes to the
 * longest-waiting client that can use it.
 */
public final class BackendQueue {
  /** One waiting client, as the queue sees it. */
  public interface Waiter {
    /**
     * The backends it may go to now, in its balancing order; asked under the queue's lock. A pinned
     * waiter's backend is the first.
     */
    List<Backend> candidates();

    /** Whether only its first candidate will do (hash affinity), not any with room. */
    boolean pinned();

    /**
     * It has a slot on {@code backend}, taken for it; called under the queue's lock, so it must
     * only hand the work to its own thread. It gives the slot back through {@link #release}.
     */
    void granted(Backend backend);
  }

  /** A waiter with its place in line, and the backend it waits for when pinned (else null). */
  private static final class Place {
    final Waiter waiter;
    final long arrived;
    Backend backend;

    Place(Waiter waiter, long arrived, Backend backend) {
      this.waiter = waiter;
      this.arrived = arrived;
      this.backend = backend;
    }
  }

  private final ArrayDeque<Place> anyBackend = new ArrayDeque<>();
  private final Map<Backend, ArrayDeque<Place>> byBackend = new IdentityHashMap<>();
  private final Map<Waiter, Place> places = new IdentityHashMap<>();
  private long arrivals;
  private long redispatched;
  // Read without the lock on every new connection and every release: nobody waiting is the
  // common case and must cost no lock.
  private final AtomicInteger size = new AtomicInteger();

  /**
   * Takes a slot for a new client: on the first of {@code candidates} if {@code pinned}, else on
   * the first with room; null when the caller must {@link #enqueue} (or, with no candidates at all,
   * give up). While anyone waits, the newcomer queues too, and the queue serves it in turn (at once
   * if what it wants has room).
   */
  public Backend acquire(List<Backend> candidates, boolean pinned) {
    return size.get() > 0 ? null : take(candidates, pinned);
  }

  /** Puts a client at the back of its queue; it may be served at once if a slot is free by now. */
  public synchronized void enqueue(Waiter waiter) {
    Backend pinnedTo = null;
    if (waiter.pinned()) {
      List<Backend> candidates = waiter.candidates();
      pinnedTo = candidates.isEmpty() ? null : roomInQueue(candidates.get(0));
    }
    Place place = new Place(waiter, arrivals++, pinnedTo);
    places.put(waiter, place);
    line(place).addLast(place);
    size.incrementAndGet();
    dispatch();
  }

  /** Takes a client out (it timed out or left); false if it has been served meanwhile. */
  public synchronized boolean remove(Waiter waiter) {
    Place place = places.remove(waiter);
    if (place == null) {
      return false;
    }
    ArrayDeque<Place> line = line(place);
    line.remove(place);
    dropIfEmpty(place.backend, line);
    size.decrementAndGet();
    return true;
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

  /** A backend came into rotation or left it: queued clients may be served, or move. */
  public void rotationChanged() {
    if (size.get() > 0) {
      synchronized (this) {
        dispatch();
      }
    }
  }

  /**
   * The pool's balance changed: a client that waited for its hashed backend alone, and whose policy
   * no longer pins it, now waits for any backend with room, in its place by arrival.
   */
  public synchronized void balanceChanged() {
    for (Backend backend : new ArrayList<>(byBackend.keySet())) {
      ArrayDeque<Place> line = byBackend.get(backend);
      for (Place place : new ArrayList<>(line)) {
        if (!place.waiter.pinned()) {
          line.remove(place);
          place.backend = null;
          insertByArrival(anyBackend, place);
        }
      }
      dropIfEmpty(backend, line);
    }
    dispatch();
  }

  /** How many clients wait now, in all queues. */
  public int size() {
    return size.get();
  }

  /**
   * How many hashed clients have been sent to another backend because their own backend's queue
   * held its {@code maxqueue} (HAProxy counts them as redispatches).
   */
  public synchronized long redispatched() {
    return redispatched;
  }

  /** How many clients wait for {@code backend} alone (pinned to it). */
  public synchronized int waitingFor(Backend backend) {
    ArrayDeque<Place> line = byBackend.get(backend);
    return line == null ? 0 : line.size();
  }

  /** Serves the longest-waiting client that can be served, again, until none can. */
  private void dispatch() {
    movePinnedOutOfRotation();
    while (size.get() > 0) {
      List<Place> heads = new ArrayList<>(byBackend.size() + 1);
      if (!anyBackend.isEmpty()) {
        heads.add(anyBackend.peekFirst());
      }
      for (ArrayDeque<Place> line : byBackend.values()) {
        heads.add(line.peekFirst());
      }
      heads.sort((a, b) -> Long.compare(a.arrived, b.arrived));
      if (!serveFirstServable(heads)) {
        return; // those behind each head want what their head could not have
      }
    }
  }

  private boolean serveFirstServable(List<Place> heads) {
    for (Place head : heads) {
      Backend backend =
          head.backend != null
              ? (head.backend.inRotation() && head.backend.tryAcquire() ? head.backend : null)
              : firstWithRoom(head.waiter.candidates());
      if (backend != null) {
        ArrayDeque<Place> line = line(head);
        line.pollFirst();
        dropIfEmpty(head.backend, line);
        places.remove(head.waiter);
        size.decrementAndGet();
        head.waiter.granted(backend);
        return true;
      }
    }
    return false;
  }

  /**
   * Clients pinned to a backend that left rotation (down, drained, removed) wait instead for the
   * one their hash names now, behind those already waiting there, as HAProxy redistributes a
   * stopped server's queue. With nothing in rotation they stay where they are until something is.
   */
  private void movePinnedOutOfRotation() {
    List<Backend> gone = null;
    for (Backend backend : byBackend.keySet()) {
      if (!backend.inRotation()) {
        gone = gone == null ? new ArrayList<>() : gone;
        gone.add(backend);
      }
    }
    if (gone == null) {
      return;
    }
    for (Backend backend : gone) {
      ArrayDeque<Place> line = byBackend.get(backend);
      for (Place place : new ArrayList<>(line)) {
        List<Backend> candidates = place.waiter.candidates();
        if (!candidates.isEmpty() && candidates.get(0) != backend) {
          line.remove(place);
          place.backend = roomInQueue(candidates.get(0));
          insertByArrival(line(place), place);
        }
      }
      dropIfEmpty(backend, line);
    }
  }

  /**
   * {@code backend} if a pinned client may still queue on it; null (any backend) once its queue
   * holds its {@code maxqueue}, counted as a redispatch.
   */
  private Backend roomInQueue(Backend backend) {
    int limit = backend.maxQueue();
    if (limit > 0) {
      ArrayDeque<Place> line = byBackend.get(backend);
      if (line != null && line.size() >= limit) {
        redispatched++;
        return null;
      }
    }
    return backend;
  }

  private static void insertByArrival(ArrayDeque<Place> line, Place place) {
    if (line.isEmpty() || line.peekLast().arrived < place.arrived) {
      line.addLast(place);
      return;
    }
    List<Place> merged = new ArrayList<>(line);
    int at = 0;
    while (merged.get(at).arrived < place.arrived) {
      at++;
    }
    merged.add(at, place);
    line.clear();
    line.addAll(merged);
  }

  private ArrayDeque<Place> line(Place place) {
    return place.backend == null
        ? anyBackend
        : byBackend.computeIfAbsent(place.backend, b -> new ArrayDeque<>());
  }

  private void dropIfEmpty(Backend backend, ArrayDeque<Place> line) {
    if (backend != null && line.isEmpty()) {
      byBackend.remove(backend);
    }
  }

  private static Backend take(List<Backend> candidates, boolean pinned) {
    if (!pinned) {
      return firstWithRoom(candidates);
    }
    return !candidates.isEmpty() && candidates.get(0).tryAcquire() ? candidates.get(0) : null;
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
