package io.shopstack.order.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopstack.order.ShopHttpTest;
import io.shopstack.order.purchase.PurchaseOrderRepository.OrderRow;
import io.shopstack.order.system.ShopProperties;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.unit.DataSize;

/**
 * How orders form groups and what a group's failure does to its orders, on the application's real
 * H2 database. The repository is the real one; it only holds the first, lone order's insert until
 * the test has queued the orders it wants in the next group, so the groups are known exactly.
 */
class GroupCommitTests extends ShopHttpTest {

  private static final NewOrder COURSE =
      new NewOrder(LocalDate.of(2018, 7, 1), "趣谈网络协议", "刘超", new BigDecimal("68"));

  @Autowired JdbcClient jdbc;
  @Autowired JdbcTemplate template;

  private final ExecutorService requests = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Integer> alone = new CopyOnWriteArrayList<>();
  private final List<Integer> together = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @AfterEach
  void stopRequests() {
    release.countDown();
    requests.shutdownNow();
  }

  /** The real repository, noting each commit's size, holding the very first insert. */
  private PurchaseOrderRepository heldRepository() {
    return new PurchaseOrderRepository(jdbc, template) {
      @Override
      OptionalLong saveIfInCatalog(
          NewOrder order, String servedBy, String address, OffsetDateTime at, String key) {
        if (alone.isEmpty() && together.isEmpty()) {
          alone.add(1);
          awaitRelease();
        } else {
          alone.add(1);
        }
        return super.saveIfInCatalog(order, servedBy, address, at, key);
      }

      @Override
      long[] saveAllIfInCatalog(List<OrderRow> rows) {
        together.add(rows.size());
        return super.saveAllIfInCatalog(rows);
      }
    };
  }

  private void awaitRelease() {
    try {
      if (!release.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the first order");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private GroupCommit groupCommit(Duration databaseTimeout) {
    ShopProperties shop =
        new ShopProperties(
            "order-group",
            "http://static.shop.example",
            DataSize.ofKilobytes(64),
            null,
            new ShopProperties.CommitGroups(32, 1));
    return new GroupCommit(heldRepository(), shop, databaseTimeout, meters);
  }

  private Future<OptionalLong> place(GroupCommit commits, String key) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    return requests.submit(
        () -> commits.saveIfInCatalog(COURSE, "order-group", "127.0.0.9", now, key));
  }

  @Test
  void aLoneOrderIsStoredAtOnceAndOrdersArrivingMeanwhileShareTheNextCommit() throws Exception {
    GroupCommit commits = groupCommit(Duration.ofSeconds(10));
    String run = "together-" + System.nanoTime() + "-";
    Future<OptionalLong> first = place(commits, run + "first");
    await().until(() -> alone.size() == 1);
    List<Future<OptionalLong>> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(place(commits, run + i));
    }
    // the same key twice in one group: the earlier one is stored, the later one finds it taken
    queued.add(place(commits, run + "twice"));
    await().until(() -> commits.queuedOrders() == 6);
    Future<OptionalLong> twiceAgain = place(commits, run + "twice");
    await().until(() -> commits.queuedOrders() == 7);

    release.countDown();

    assertThat(first.get(20, TimeUnit.SECONDS)).isPresent();
    for (Future<OptionalLong> order : queued.subList(0, 5)) {
      assertThat(order.get(20, TimeUnit.SECONDS)).isPresent();
    }
    List<OptionalLong> twice =
        List.of(queued.get(5).get(20, TimeUnit.SECONDS), twiceAgain.get(20, TimeUnit.SECONDS));
    assertThat(twice).filteredOn(OptionalLong::isPresent).hasSize(1);
    assertThat(alone).hasSize(1);
    assertThat(together).containsExactly(7);
    assertThat(rowsOf(run)).isEqualTo(7);
    // every order's wait is timed by stage; one leader was handed the second group
    for (String stage : List.of("queued", "stored", "woken")) {
      assertThat(waits(stage).count()).as(stage).isEqualTo(8);
    }
    assertThat(waits("handoff").count()).isEqualTo(1);
    assertThat(waits("queued").max(TimeUnit.NANOSECONDS))
        .isGreaterThan(waits("queued").totalTime(TimeUnit.NANOSECONDS) / 8);
  }

  private io.micrometer.core.instrument.Timer waits(String stage) {
    return meters.get("shop.orders.commit.wait").tag("stage", stage).timer();
  }

  @Test
  void oneOrderTheDatabaseRefusesFailsAloneAndTheRestOfItsGroupIsStored() throws Exception {
    GroupCommit commits = groupCommit(Duration.ofSeconds(10));
    String run = "one-fails-" + System.nanoTime() + "-";
    Future<OptionalLong> first = place(commits, run + "first");
    await().until(() -> alone.size() == 1);
    List<Future<OptionalLong>> good = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      good.add(place(commits, run + i));
    }
    // longer than the column (VARCHAR(255)): the whole group's transaction fails on it
    Future<OptionalLong> tooLong = place(commits, run + "x".repeat(300));
    await().until(() -> commits.queuedOrders() == 5);

    release.countDown();

    assertThat(first.get(20, TimeUnit.SECONDS)).isPresent();
    for (Future<OptionalLong> order : good) {
      assertThat(order.get(20, TimeUnit.SECONDS)).isPresent();
    }
    assertThatThrownBy(() -> tooLong.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(DataIntegrityViolationException.class);
    // the group was tried once, rolled back, and each of its orders stored again alone
    assertThat(together).containsExactly(5);
    assertThat(alone).hasSize(1 + 5);
    assertThat(rowsOf(run)).isEqualTo(5);
  }

  @Test
  void anOrderQueuedLongerThanTheDatabaseTimeoutLeavesWithAnOutageAndIsNotStored()
      throws Exception {
    GroupCommit commits = groupCommit(Duration.ofMillis(500));
    String run = "queued-too-long-" + System.nanoTime() + "-";
    Future<OptionalLong> first = place(commits, run + "first");
    await().until(() -> alone.size() == 1);
    Future<OptionalLong> queued = place(commits, run + "queued");

    assertThatThrownBy(() -> queued.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(QueryTimeoutException.class);
    assertThat(commits.queuedOrders()).isZero();
    release.countDown();
    assertThat(first.get(20, TimeUnit.SECONDS)).isPresent();
    assertThat(rowsOf(run)).isEqualTo(1);
    assertThat(together).isEmpty();
  }

  private long rowsOf(String run) {
    return jdbc.sql("SELECT COUNT(*) FROM purchase_order WHERE idempotency_key LIKE :run")
        .param("run", run + "%")
        .query(Long.class)
        .single();
  }
}
