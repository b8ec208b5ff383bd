package io.shopstack.edge;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.BufferPooling;
import io.shopstack.common.server.Hangup;
import io.shopstack.common.server.LeakDetection;
import io.shopstack.common.server.StartWarmup;

/** Starts one cache instance from {@code edge-cache.yml} and the environment. */
public final class EdgeCacheMain {
  private EdgeCacheMain() {}

  public static void main(String[] args) throws InterruptedException {
    // Bodies of images and pages pass through buffers past the low-memory pool's 16,896 bytes:
    // with it (the image's -Xmx256m) 100 KiB hits ran 13-17 % slower (bench/RESULTS.md, 3 Dec).
    BufferPooling.fullUnlessAsked(System.getProperties());
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
