package io.shopstack.edge;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.Hangup;
import io.shopstack.common.server.LeakDetection;
import io.shopstack.common.server.StartWarmup;

/** Starts one cache instance from {@code edge-cache.yml} and the environment. */
public final class EdgeCacheMain {
  private EdgeCacheMain() {}

  public static void main(String[] args) throws InterruptedException {
    StartWarmup.begin();
    EdgeCacheConfig config = ConfigLoader.load(EdgeCacheConfig.class, "edge-cache.yml", args);
    LeakDetection.offUnlessAsked(System.getProperties());
    EdgeCacheServer server = new EdgeCacheServer(config);
    // Before the start-up line: a SIGHUP sent once it is logged must reload the rules (as it makes
    // nginx reread its configuration; the outcome goes to the log).
    Hangup.reloads(server::reloadRules, "POST /rules/reload on the admin port");
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, config.instance() + "-stop"));
  }
}
