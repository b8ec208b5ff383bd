package io.shopstack.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * 200 phones on a flaky network, each sending its order five times with one Idempotency-Key, spread
 * over two instances that share one database: the retries of a key race each other, and every one
 * must get the same order, with exactly one row per key stored. Run on H2 and on PostgreSQL, whose
 * locking differs. A phone told 503 (nothing stored, Retry-After) sends again, as a real one does.
 */
public final class RetryStorm {
  private static final int PHONES = 200;
  private static final int SENDS = 5;
  private static final int MAX_ATTEMPTS = 10;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private RetryStorm() {}

  /** Runs the storm with keys starting {@code run} and checks the answers and the rows. */
  public static void placeOneOrderPerKey(
      ConfigurableApplicationContext order1,
      ConfigurableApplicationContext order2,
      String run,
      String body)
      throws Exception {
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    // 100 requests in flight: a phone's five sends are submitted back to back, so they race.
    ExecutorService phones = Executors.newFixedThreadPool(100);
    try {
      for (int phone = 0; phone < PHONES; phone++) {
        for (int attempt = 0; attempt < SENDS; attempt++) {
          HttpRequest retry =
              HttpRequest.newBuilder(purchaseOrderUri((phone + attempt) % 2 == 0 ? order1 : order2))
                  .timeout(Duration.ofSeconds(60))
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", run + phone)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build();
          answers.add(phones.submit(() -> sendLikeAPhone(retry)));
        }
      }
      Map<String, Set<Long>> idsByKey = new HashMap<>();
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(120, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String key = response.request().headers().firstValue("Idempotency-Key").orElseThrow();
        idsByKey
            .computeIfAbsent(key, k -> new HashSet<>())
            .add(JSON.readTree(response.body()).get("id").asLong());
      }
      // Every retry of a phone got the one order its key placed.
      assertThat(idsByKey).hasSize(PHONES).allSatisfy((key, ids) -> assertThat(ids).hasSize(1));
    } finally {
      phones.shutdownNow();
    }
    long stored =
        order1
            .getBean(JdbcClient.class)
            .sql("SELECT COUNT(*) FROM purchase_order WHERE idempotency_key LIKE :run")
            .param("run", run + "%")
            .query(Long.class)
            .single();
    assertThat(stored).isEqualTo(PHONES);
  }

  /**
   * A 503 says nothing was stored and when to come back (Retry-After): under a storm on a busy
   * machine the pool's wait can run out, and a phone then sends the same request again, as its key
   * makes safe. Any other answer is final. The count of orders per key is what must hold.
   */
  private static HttpResponse<String> sendLikeAPhone(HttpRequest request) throws Exception {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 503 || attempt == MAX_ATTEMPTS) {
        return response;
      }
      long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    }
  }

  private static URI purchaseOrderUri(ConfigurableApplicationContext instance) {
    int port = instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    return URI.create("http://127.0.0.1:" + port + "/purchaseOrder");
  }
}
