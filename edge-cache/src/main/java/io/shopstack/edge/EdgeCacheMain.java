package io.shopstack.edge;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.LeakDetection;
import org.slf4j.LoggerFactory;

/** Starts one cache instance from {@code edge-cache.yml} and the environment. */
public final class EdgeCacheMain {
  private EdgeCacheMain() {}

  public static void main(String[] args) throws InterruptedException {
    LeakDetection.offUnlessAsked(System.getProperties());
    EdgeCacheConfig config = ConfigLoader.load(EdgeCacheConfig.class, "edge-cache.yml", args);
    EdgeCacheServer server = new EdgeCacheServer(config);
    // Before the start-up line: a SIGHUP sent once it is logged must reload the rules, not meet the
    // JVM's default handler, which shuts the process down.
    reloadRulesOnHangup(server);
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, config.instance() + "-stop"));
  }

  /**
   * {@code kill -HUP} reloads the rule file, as it makes nginx reread its configuration; the
   * outcome goes to the log (the admin port's {@code POST /rules/reload} answers it instead).
   */
  @SuppressWarnings("restriction") // sun.misc.Signal: the JDK's only way to catch a signal
  private static void reloadRulesOnHangup(EdgeCacheServer server) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> server.reloadRules());
    } catch (IllegalArgumentException e) {
      // The platform or the JVM's options keep SIGHUP: POST /rules/reload still works.
      LoggerFactory.getLogger(EdgeCacheMain.class)
          .warn("no rule reload on SIGHUP here ({}); use POST /rules/reload", e.getMessage());
    }
  }
}
