package io.shopstack.slb;

import io.shopstack.common.config.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs one SLB from {@code slb.yml} (or {@code --config=FILE}) until the JVM is stopped. SIGHUP
 * reads the file again and applies its backends, as {@code POST /reload} does.
 */
public final class SlbMain {
  private static final Logger log = LoggerFactory.getLogger(SlbMain.class);

  private SlbMain() {}

  public static void main(String[] args) throws InterruptedException {
    SlbConfig config = ConfigLoader.load(SlbConfig.class, "slb.yml", args);
    SlbServer server =
        new SlbServer(config)
            .reloadingFrom(() -> ConfigLoader.load(SlbConfig.class, "slb.yml", args))
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, config.instance() + "-stop"));
    // The JDK's signal thread runs the handler; the reload only swaps backend lists, briefly.
    Signal.handle(
        new Signal("HUP"),
        signal -> {
          try {
            server.reload("SIGHUP");
          } catch (IllegalArgumentException refused) {
            log.warn("{}", refused.getMessage());
          }
        });
  }
}
