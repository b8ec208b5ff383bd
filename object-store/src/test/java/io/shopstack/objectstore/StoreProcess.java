package io.shopstack.objectstore;

import io.shopstack.common.testing.ServerLeftovers;
import io.shopstack.common.testing.ServiceProcess;
import java.net.URI;
import java.nio.file.Path;

/**
 * The store run as operators run it, {@code ObjectStoreApplication} in a JVM of its own on a data
 * dir: for what only a real process shows (SIGKILL in the middle of writes). Its output goes to a
 * file beside the data dir.
 */
final class StoreProcess implements AutoCloseable {

  private final ServiceProcess process;
  private final int port;

  private StoreProcess(ServiceProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the store on {@code dataDir} and returns once its health endpoint answers. */
  static StoreProcess start(Path dataDir, Path log) {
    int adminPort = ServerLeftovers.freePort();
    StoreProcess store = launch(dataDir, log, adminPort);
    store.process.awaitHealthy(URI.create("http://127.0.0.1:" + adminPort + "/health"));
    return store;
  }

  /** Starts the store on {@code dataDir} without waiting for it: for a start that must fail. */
  static StoreProcess launch(Path dataDir, Path log) {
    return launch(dataDir, log, ServerLeftovers.freePort());
  }

  private static StoreProcess launch(Path dataDir, Path log, int adminPort) {
    int port = ServerLeftovers.freePort();
    ServiceProcess store =
        ServiceProcess.of(ObjectStoreApplication.class)
            .environment("SHOP_BIND", "127.0.0.1")
            .environment("SHOP_OBJECT_PORT", String.valueOf(port))
            .environment("SHOP_ADMIN_PORT", String.valueOf(adminPort))
            .environment("SHOP_DATA_DIR", dataDir.toString())
            .log(log)
            .start();
    return new StoreProcess(store, port);
  }

  ServiceProcess process() {
    return process;
  }

  int port() {
    return port;
  }

  /** SIGKILL: no shutdown hook, no flush, nothing the process can do about it. */
  void kill() throws InterruptedException {
    process.kill();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
