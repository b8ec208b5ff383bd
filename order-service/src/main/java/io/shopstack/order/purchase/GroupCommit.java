package io.shopstack.order.purchase;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shopstack.order.purchase.PurchaseOrderRepository.OrderRow;
import io.shopstack.order.system.DatabaseOutage;
import io.shopstack.order.system.ShopProperties;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.stereotype.Component;

/**
 * Orders placed at the same moment on this instance share one transaction: one JDBC batch, one
 * commit, one WAL flush, instead of a statement, a commit and a flush each. Off by default ({@code
 * max-batch} 1): on the quiet 2-core bench it halved PostgreSQL's CPU per order but raised the p99
 * (72-312 ms against 24-29) without raising the rate: timed by stage ({@link CommitWaits}), an
 * order waits as long in the queue behind the running commit as in its own, while the hand-off to
 * the next leader is under 1 ms for most orders (README "Speed"). Under load the database and the
 * driver did the same work once per order (README "Speed"); this does the per-commit part once per
 * group.
 *
 * <p>No thread of its own and no timer: the request that finds fewer than {@code batches-in-flight}
 * groups running stores its order at once, alone, exactly as without this class (a lone order's
 * latency is unchanged). Requests arriving meanwhile queue; when a group's commit returns, the
 * request thread that led it hands everything queued (up to {@code max-batch}) to the oldest queued
 * request, which leads that group, and goes back to answer its own client. Every request returns
 * only after the commit that holds its order succeeded, so its 201 is never sent early.
 *
 * <p>One order never fails the others: when the group's transaction fails for anything but an
 * outage (a key another instance is inserting, a deadlock, a driver surprise), it was rolled back
 * and each order is stored again alone, each with its own answer. An outage fails the whole group
 * at once (each answered 503), and a request that waits in the queue longer than {@code
 * shop.database-timeout} leaves it with 503 too, so the database-down answer stays fast.
 */
@Component
class GroupCommit {

  /**
   * Keys in one order in every group, so that two groups (here or on another instance) waiting for
   * each other's keys cannot deadlock; orders without a key take no lock that others wait for.
   */
  private static final Comparator<Pending> BY_KEY =
      Comparator.comparing(
          (Pending p) -> p.row.idempotencyKey(), Comparator.nullsLast(Comparator.naturalOrder()));

  private final PurchaseOrderRepository orders;
  private final int maxBatch;
  private final int batchesInFlight;
  private final long queueTimeoutNanos;
  private final DistributionSummary groupSizes;
  private final CommitWaits waits;

  private final ReentrantLock lock = new ReentrantLock();
  // guarded by lock
  private final ArrayDeque<Pending> queued = new ArrayDeque<>();
  private int running;

  GroupCommit(
      PurchaseOrderRepository orders,
      ShopProperties shop,
      @Value("${shop.database-timeout:2s}") Duration databaseTimeout,
      MeterRegistry meters) {
    this.orders = orders;
    this.maxBatch = shop.groupCommit().maxBatch();
    this.batchesInFlight = shop.groupCommit().batchesInFlight();
    this.queueTimeoutNanos = databaseTimeout.toNanos();
    this.groupSizes =
        DistributionSummary.builder("shop.orders.commit.group")
            .description("Orders stored per commit (count: commits, sum: orders)")
            .register(meters);
    this.waits = new CommitWaits(meters);
  }

  /**
   * {@link PurchaseOrderRepository#saveIfInCatalog}, committed together with the orders of other
   * requests placed meanwhile: the order's id, or empty when the catalog refused it or its key is
   * taken; committed when this returns.
   */
  OptionalLong saveIfInCatalog(
      NewOrder order,
      String servedBy,
      String clientAddress,
      OffsetDateTime createdAt,
      String idempotencyKey) {
    if (maxBatch == 1) {
      // Off: no queue and no limit on commits at once, exactly the path before groups existed.
      return orders.saveIfInCatalog(order, servedBy, clientAddress, createdAt, idempotencyKey);
    }
    Pending mine =
        new Pending(new OrderRow(order, servedBy, clientAddress, createdAt, idempotencyKey));
    List<Pending> group = null;
    lock.lock();
    try {
      if (running < batchesInFlight) {
        running++;
        group = takeQueued(mine);
      } else {
        queued.addLast(mine);
      }
    } finally {
      lock.unlock();
    }
    if (group == null) {
      group = awaitTurn(mine);
    }
    if (group != null) {
      lead(group);
    }
    try {
      return mine.outcome();
    } finally {
      waits.record(mine);
    }
  }

  /** Orders waiting for a commit to finish (tests watch groups form). */
  int queuedOrders() {
    lock.lock();
    try {
      return queued.size();
    } finally {
      lock.unlock();
    }
  }

  /** The leader first, then the queued orders, oldest first, up to {@code max-batch}. */
  private List<Pending> takeQueued(Pending leader) {
    List<Pending> group = new ArrayList<>(Math.min(maxBatch, queued.size() + 1));
    group.add(leader);
    while (group.size() < maxBatch && !queued.isEmpty()) {
      group.add(queued.pollFirst());
    }
    return group;
  }

  /**
   * Waits until the order is answered (null) or handed a group to lead. Queued longer than the
   * database timeout, it leaves the queue and fails as an outage would; once taken into a group it
   * waits for that group's answer, which the driver's own timeouts bound.
   */
  private List<Pending> awaitTurn(Pending mine) {
    if (mine.awaitUntil(System.nanoTime() + queueTimeoutNanos)) {
      return mine.handedGroup();
    }
    lock.lock();
    boolean left;
    try {
      left = queued.remove(mine);
    } finally {
      lock.unlock();
    }
    if (left) {
      throw new QueryTimeoutException(
          "no commit for the order within shop.database-timeout ("
              + TimeUnit.NANOSECONDS.toMillis(queueTimeoutNanos)
              + " ms): the database is slow or unavailable");
    }
    mine.awaitUntil(Long.MAX_VALUE);
    return mine.handedGroup();
  }

  private void lead(List<Pending> group) {
    waits.handedOff(group.get(0));
    try {
      commit(group);
    } finally {
      Pending next;
      List<Pending> nextGroup = null;
      lock.lock();
      try {
        next = queued.pollFirst();
        if (next == null) {
          running--;
        } else {
          nextGroup = takeQueued(next);
        }
      } finally {
        lock.unlock();
      }
      if (next != null) {
        next.hand(nextGroup);
      }
    }
  }

  /** Stores the group and answers every order of it, whatever happens. */
  private void commit(List<Pending> group) {
    groupSizes.record(group.size());
    long started = System.nanoTime();
    group.forEach(p -> p.startedAt = started);
    try {
      if (group.size() == 1) {
        alone(group.get(0));
        return;
      }
      List<Pending> sorted = new ArrayList<>(group);
      sorted.sort(BY_KEY);
      long[] ids;
      try {
        ids = orders.saveAllIfInCatalog(sorted.stream().map(p -> p.row).toList());
      } catch (RuntimeException failed) {
        if (isOutage(failed)) {
          sorted.forEach(p -> p.fail(failed));
        } else {
          // rolled back: each order again on its own, so that one order's failure stays its own
          sorted.forEach(this::alone);
        }
        return;
      }
      for (int i = 0; i < ids.length; i++) {
        sorted.get(i).succeed(ids[i] > 0 ? OptionalLong.of(ids[i]) : OptionalLong.empty());
      }
    } catch (RuntimeException | Error unexpected) {
      for (Pending p : group) {
        p.fail(new IllegalStateException("the order's group commit failed", unexpected));
      }
      throw unexpected;
    }
  }

  private void alone(Pending p) {
    try {
      OrderRow row = p.row;
      p.succeed(
          orders.saveIfInCatalog(
              row.order(),
              row.servedBy(),
              row.clientAddress(),
              row.createdAt(),
              row.idempotencyKey()));
    } catch (RuntimeException failed) {
      p.fail(failed);
    }
  }

  /**
   * The database is gone or too slow: trying each order again would wait the timeout once per
   * order. A lock failure is not an outage here: alone, each order gets its own answer.
   */
  private static boolean isOutage(RuntimeException failed) {
    return DatabaseOutage.isOutage(failed)
        && !(failed instanceof PessimisticLockingFailureException);
  }

  /** One request's order: its values, then its answer or the group it is handed to lead. */
  private static final class Pending {

    final OrderRow row;
    // when each step of the order's wait ended (CommitWaits); 0: not reached
    final long queuedAt = System.nanoTime();
    volatile long startedAt;
    volatile long handedAt;
    volatile long answeredAt;
    // guarded by this
    private boolean answered;
    private OptionalLong id;
    private RuntimeException failure;
    private List<Pending> handed;

    Pending(OrderRow row) {
      this.row = row;
    }

    synchronized void succeed(OptionalLong stored) {
      if (!answered) {
        answered = true;
        answeredAt = System.nanoTime();
        id = stored;
        notifyAll();
      }
    }

    synchronized void fail(RuntimeException e) {
      if (!answered) {
        answered = true;
        answeredAt = System.nanoTime();
        failure = e;
        notifyAll();
      }
    }

    synchronized void hand(List<Pending> group) {
      handedAt = System.nanoTime();
      handed = group;
      notifyAll();
    }

    /** True once answered or handed a group; false when the deadline passed first. */
    synchronized boolean awaitUntil(long deadlineNanos) {
      boolean interrupted = false;
      try {
        while (!answered && handed == null) {
          long left = deadlineNanos - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(this, left);
          } catch (InterruptedException e) {
            // the order may be in a commit already: its answer is still owed to the client
            interrupted = true;
          }
        }
        return true;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    synchronized List<Pending> handedGroup() {
      return answered ? null : handed;
    }

    synchronized OptionalLong outcome() {
      if (!answered) {
        throw new IllegalStateException("an order left its group commit unanswered");
      }
      if (failure != null) {
        throw failure;
      }
      return id;
    }
  }

  /**
   * Where an order's time goes between its request and its answer, as histograms on /metrics (the
   * bench prints them for its timed run): {@code queued} until its group's commit starts, {@code
   * stored} until that commit returned, {@code woken} until its request thread ran again, and for a
   * group's leader {@code handoff}, from being handed the group until its thread ran.
   */
  private static final class CommitWaits {

    private final Timer queued;
    private final Timer stored;
    private final Timer woken;
    private final Timer handoff;

    CommitWaits(MeterRegistry meters) {
      queued = stage(meters, "queued");
      stored = stage(meters, "stored");
      woken = stage(meters, "woken");
      handoff = stage(meters, "handoff");
    }

    private static Timer stage(MeterRegistry meters, String stage) {
      return Timer.builder("shop.orders.commit.wait")
          .description("An order's wait in group commit, by stage")
          .tag("stage", stage)
          .serviceLevelObjectives(
              Duration.ofMillis(1),
              Duration.ofMillis(2),
              Duration.ofMillis(5),
              Duration.ofMillis(10),
              Duration.ofMillis(20),
              Duration.ofMillis(50),
              Duration.ofMillis(100),
              Duration.ofMillis(200),
              Duration.ofMillis(500))
          .register(meters);
    }

    void handedOff(Pending leader) {
      if (leader.handedAt != 0) {
        handoff.record(System.nanoTime() - leader.handedAt, TimeUnit.NANOSECONDS);
      }
    }

    void record(Pending p) {
      if (p.startedAt == 0 || p.answeredAt == 0) {
        return;
      }
      queued.record(p.startedAt - p.queuedAt, TimeUnit.NANOSECONDS);
      stored.record(p.answeredAt - p.startedAt, TimeUnit.NANOSECONDS);
      woken.record(System.nanoTime() - p.answeredAt, TimeUnit.NANOSECONDS);
    }
  }
}
