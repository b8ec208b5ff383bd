package io.shopstack.edge;

import io.shopstack.common.config.ConfigLoader;

/** Starts one cache instance from {@code edge-cache.yml} and the environment. */
public final class EdgeCacheMain {
  private EdgeCacheMain() {}

  public static void main(String[] args) throws InterruptedException {
    EdgeCacheConfig config = ConfigLoader.load(EdgeCacheConfig.class, "edge-cache.yml", args);
    EdgeCacheServer server = new EdgeCacheServer(config).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, config.instance() + "-stop"));
  }
}
