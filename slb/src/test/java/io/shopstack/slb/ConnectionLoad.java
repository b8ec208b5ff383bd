package io.shopstack.slb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that each open a connection through the SLB, send one line and read one answer line, as
 * fast as they go, until closed, for at most {@code bound} and 20,000 connections each: what a load
 * through the VIP looks like to the tests that change things under it. A connection refused, reset,
 * or closed without an answer counts as a failure.
 */
final class ConnectionLoad implements AutoCloseable {
  private static final int MAX_REQUESTS_PER_CLIENT = 20_000;

  final AtomicInteger failures = new AtomicInteger();
  final AtomicInteger served = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final Duration bound;

  ConnectionLoad(InetSocketAddress vip, int clients, Duration bound) {
    this.bound = bound;
    long deadline = System.nanoTime() + bound.toNanos();
    for (int i = 0; i < clients; i++) {
      Thread thread =
          new Thread(
              () -> {
                for (int n = 0;
                    n < MAX_REQUESTS_PER_CLIENT && !stop.get() && System.nanoTime() < deadline;
                    n++) {
                  if (request(vip) == null) {
                    failures.incrementAndGet();
                  } else {
                    served.incrementAndGet();
                  }
                }
              },
              "load-" + i);
      thread.start();
      threads.add(thread);
    }
  }

  private static String request(InetSocketAddress vip) {
    try (Socket socket = new Socket(vip.getAddress(), vip.getPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("GET\n".getBytes(StandardCharsets.UTF_8));
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(bound.toMillis());
    }
  }
}
