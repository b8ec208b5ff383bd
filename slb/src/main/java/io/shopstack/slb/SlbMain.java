package io.shopstack.slb;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.BufferPooling;
import io.shopstack.common.server.Hangup;
import io.shopstack.common.server.LeakDetection;
import io.shopstack.common.server.StartWarmup;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one SLB from {@code slb.yml} (or {@code --config=FILE}) until the JVM is stopped; with
 * {@code --listeners-from=PATH} it takes over the listening sockets of the SLB it replaces. SIGHUP
 * reads the file again and applies its backends, as {@code POST /reload} does.
 */
public final class SlbMain {
  private static final Logger log = LoggerFactory.getLogger(SlbMain.class);

  /**
   * {@code --listeners-from=PATH}: the Unix runtime API of the SLB this one replaces, whose
   * listening sockets it takes (HAProxy's {@code -x}); stop the old one once this one is up.
   */
  private static final String LISTENERS_FROM = "--listeners-from=";

  private SlbMain() {}

  /**
   * Moves what starting left on the heap into the old generation with one full collection, before
   * clients come in numbers. Those objects (class mirrors, interned strings, config, metrics,
   * Netty's caches: about 6 MiB, 99 % of what the process still holds after minutes of traffic)
   * were made young, and every young collection copied them again from one survivor space to the
   * other until they had aged enough: with one new connection per request a young collection comes
   * every few seconds, and its pause was 27 ms on the loaded bench machine; 0.7 ms under the same
   * load once they had been moved. Only the process does this, not {@link SlbServer}: a JVM that
   * hosts other servers too (the local topology, the tests) decides for itself.
   */
  private static void settleStartUpHeap() {
    long started = System.nanoTime();
    System.gc();
    Runtime heap = Runtime.getRuntime();
    log.info(
        "start-up heap moved to the old generation in {} ms ({} MiB kept)",
        (System.nanoTime() - started) / 1_000_000,
        (heap.totalMemory() - heap.freeMemory()) >> 20);
  }

  public static void main(String[] args) throws InterruptedException {
    BufferPooling.fullUnlessAsked(System.getProperties());
    StartWarmup.begin();
    SlbConfig config = ConfigLoader.load(SlbConfig.class, "slb.yml", args);
    LeakDetection.offUnlessAsked(System.getProperties());
    SlbServer server =
        new SlbServer(config)
            .reloadingFrom(() -> ConfigLoader.load(SlbConfig.class, "slb.yml", args));
    for (String arg : args) {
      if (arg.startsWith(LISTENERS_FROM)) {
        server.takingListenersFrom(Path.of(arg.substring(LISTENERS_FROM.length())));
      }
    }
    // Before the start, whose "listening on" line tells operators and scripts the SLB is up: a
    // SIGHUP sent on that line must reload (it once met the JVM's default handler during the full
    // GC of settleStartUpHeap). The reload only swaps backend lists, briefly.
    Hangup.reloads(
        () -> {
          try {
            server.reload("SIGHUP");
          } catch (IllegalArgumentException refused) {
            log.warn("{}", refused.getMessage());
          }
        },
        "POST /reload on the admin port");
    server.start();
    settleStartUpHeap();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, config.instance() + "-stop"));
  }
}
