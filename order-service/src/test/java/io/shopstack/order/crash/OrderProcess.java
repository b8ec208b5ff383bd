package io.shopstack.order.crash;

import io.shopstack.common.testing.ServerLeftovers;
import io.shopstack.common.testing.ServiceProcess;
import io.shopstack.order.OrderServiceApplication;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An order-service in a JVM of its own, started the way Docker starts it ({@code main}, configured
 * by SHOP_* variables), so that the test can {@code kill -9} it: no shutdown hook, no graceful
 * stop, no flush, exactly what a crashed instance gets.
 */
final class OrderProcess implements AutoCloseable {

  private final ServiceProcess process;
  private final int port;

  private OrderProcess(ServiceProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts an instance on the database and waits until it is ready. */
  static OrderProcess start(String name, String databaseUrl, String databaseUser, Path dir)
      throws IOException {
    int port = ServerLeftovers.freePort();
    int admin = ServerLeftovers.freePort();
    ServiceProcess instance =
        ServiceProcess.of(OrderServiceApplication.class)
            .jvmOptions("-XX:+UseSerialGC", "-Xmx256m")
            .environment("SHOP_INSTANCE", name)
            .environment("SHOP_BIND", "127.0.0.1")
            .environment("SHOP_ORDER_PORT", String.valueOf(port))
            .environment("SHOP_ADMIN_PORT", String.valueOf(admin))
            .environment("SHOP_DB_URL", databaseUrl)
            .environment("SHOP_DB_USER", databaseUser)
            .log(Files.createTempFile(dir, name, ".log"))
            .start();
    instance.awaitHealthy(URI.create("http://127.0.0.1:" + admin + "/health/readiness"));
    return new OrderProcess(instance, port);
  }

  URI purchaseOrder() {
    return URI.create("http://127.0.0.1:" + port + "/purchaseOrder");
  }

  /** SIGKILL, what {@code kill -9} sends: the JVM gets no chance to do anything. */
  void killDashNine() throws InterruptedException {
    process.kill();
  }

  /** SIGTERM, a graceful stop. */
  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
