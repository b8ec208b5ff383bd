package io.shopstack.client.load;

import io.shopstack.client.Failure;
import io.shopstack.client.http.HttpExchange;
import io.shopstack.client.http.HttpRequest;
import io.shopstack.client.http.SocketHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded load of real purchases: {@code concurrency} workers each place one order at a time
 * through the VIP, one TCP connection per order from the phone's address (as the journey does, so
 * every order crosses the SLB's accept and splice), until the planned number is placed or the
 * duration cap passes. Every order has its own Idempotency-Key ({@code load-RUN-N}), so the shop
 * must store each one and a reader can find them in the database.
 */
public final class LoadRun {
  /** How the run ended. */
  public record Outcome(LoadTally tally, int started, Duration took, boolean capped, String runId) {
    public double ordersPerSecond() {
      return tally.done() / Math.max(took.toNanos() / 1e9, 1e-9);
    }
  }

  /** As the journey's purchase sends it. */
  public static final String ORDER_CONTENT_TYPE = "application/json; charset=utf-8";

  private final LoadPlan plan;
  private final SocketHttpClient http;
  private final String host;
  private final byte[] body;
  private final String contentType;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);

  /**
   * @param host the {@code Host} the orders name (the shop's name)
   * @param body the order body, sent as is
   */
  public LoadRun(
      LoadPlan plan, SocketHttpClient http, String host, String contentType, String body) {
    this.plan = plan;
    this.http = http;
    this.host = host;
    this.contentType = contentType;
    this.body = body.getBytes(StandardCharsets.UTF_8);
  }

  public String runId() {
    return runId;
  }

  public Outcome run(LoadProgress progress) throws InterruptedException {
    LoadTally tally = new LoadTally();
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    long deadline = start + plan.cap().toNanos();
    ExecutorService workers =
        Executors.newFixedThreadPool(
            plan.concurrency(),
            r -> {
              Thread t = new Thread(r, "load-worker");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < plan.concurrency(); i++) {
        running.add(workers.submit(() -> work(next, deadline, tally, progress)));
      }
      for (Future<?> worker : running) {
        try {
          worker.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("load worker failed", e.getCause());
        }
      }
    } finally {
      workers.shutdownNow();
    }
    progress.finish(tally);
    int started = Math.min(next.get(), plan.orders());
    return new Outcome(
        tally,
        started,
        Duration.ofNanos(System.nanoTime() - start),
        started < plan.orders(),
        runId);
  }

  private void work(AtomicInteger next, long deadline, LoadTally tally, LoadProgress progress) {
    while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
      int n = next.getAndIncrement();
      if (n >= plan.orders()) {
        return;
      }
      place(n, tally);
      progress.update(tally);
    }
  }

  private void place(int n, LoadTally tally) {
    HttpRequest request =
        HttpRequest.post(host, "/purchaseOrder", contentType, body)
            .withHeader("Idempotency-Key", "load-" + runId + "-" + n);
    long start = System.nanoTime();
    try {
      HttpExchange exchange = http.send(plan.vip(), request);
      tally.answered(
          exchange.status(),
          System.nanoTime() - start,
          exchange.local().getAddress().getHostAddress());
    } catch (IOException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      tally.unanswered(Failure.ofExchange(e), cause.getClass().getSimpleName(), e.getMessage());
    }
  }
}
