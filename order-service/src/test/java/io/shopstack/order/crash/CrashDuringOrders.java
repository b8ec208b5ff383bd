package io.shopstack.order.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.json.JsonMapper;

/**
 * The crash test, run on H2 and on PostgreSQL: phones place orders concurrently, each with
 * its own Idempotency-Key, and the instance is killed with SIGKILL in the middle. Every order that
 * was answered 201 must be in the database afterwards; the phones left without an answer then retry
 * with their key on a new instance, and every key ends up with exactly one order.
 */
public final class CrashDuringOrders {

  private static final int PHONES = 8;
  private static final int ACKNOWLEDGED_BEFORE_KILL = 150;
  private static final String ORDER =
      "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\", \"Author\": \"刘超\","
          + " \"price\": \"68\"}}";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final String databaseUrl;
  private final String databaseUser;
  private final Path dir;

  public CrashDuringOrders(String databaseUrl, String databaseUser, Path dir) {
    this.databaseUrl = databaseUrl;
    this.databaseUser = databaseUser;
    this.dir = dir;
  }

  public void run() throws Exception {
    String run = "crash-" + System.nanoTime() + "-";
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    Set<String> unanswered = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();

    OrderProcess victim = OrderProcess.start("order-victim", databaseUrl, databaseUser, dir);
    ExecutorService phones = Executors.newFixedThreadPool(PHONES);
    try {
      for (int phone = 0; phone < PHONES; phone++) {
        String prefix = run + phone + "-";
        phones.submit(
            () -> {
              for (int n = 0; !stop.get(); n++) {
                String key = prefix + n;
                HttpResponse<String> answer = send(victim, key);
                if (answer != null && answer.statusCode() == 201) {
                  acknowledged.put(key, JSON.readTree(answer.body()).get("id").asLong());
                } else {
                  unanswered.add(key);
                }
              }
              return null;
            });
      }
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL);
      victim.killDashNine();
    } finally {
      stop.set(true);
      phones.shutdown();
      phones.awaitTermination(60, TimeUnit.SECONDS);
      victim.killDashNine();
    }
    System.out.printf(
        "crash test: %d orders acknowledged before kill -9, %d requests unanswered%n",
        acknowledged.size(), unanswered.size());

    // Straight after the crash, before anything restarted: every 201 is there, none twice.
    Map<String, Long> stored = storedOrders(run);
    assertThat(stored).containsAllEntriesOf(acknowledged);

    // The phones without an answer retry with their key on a new instance.
    try (OrderProcess next = OrderProcess.start("order-next", databaseUrl, databaseUser, dir)) {
      for (String key : unanswered) {
        HttpResponse<String> answer = send(next, key);
        assertThat(answer).isNotNull();
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
      }
    }
    Map<String, Long> afterRetries = storedOrders(run);
    assertThat(afterRetries).containsAllEntriesOf(acknowledged);
    assertThat(afterRetries.keySet()).containsAll(unanswered);
    assertThat(rowsWith(run)).isEqualTo(afterRetries.size());
  }

  private static HttpResponse<String> send(OrderProcess instance, String key) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(instance.purchaseOrder())
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", key)
              .POST(HttpRequest.BodyPublishers.ofString(ORDER))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null; // refused or cut by the kill: no answer, as a phone sees it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Idempotency key to order id, read straight from the database. */
  private Map<String, Long> storedOrders(String run) throws SQLException {
    Map<String, Long> orders = new HashMap<>();
    try (Connection db = DriverManager.getConnection(databaseUrl, databaseUser, "");
        PreparedStatement query =
            db.prepareStatement(
                "SELECT idempotency_key, id FROM purchase_order WHERE idempotency_key LIKE ?")) {
      query.setString(1, run + "%");
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          orders.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    return orders;
  }

  private long rowsWith(String run) throws SQLException {
    try (Connection db = DriverManager.getConnection(databaseUrl, databaseUser, "");
        PreparedStatement query =
            db.prepareStatement(
                "SELECT COUNT(*) FROM purchase_order WHERE idempotency_key LIKE ?")) {
      query.setString(1, run + "%");
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
