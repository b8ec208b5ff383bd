package io.shopstack.slb;

import io.shopstack.common.config.ConfigLoader;

/** Runs one SLB from {@code slb.yml} (or {@code --config=FILE}) until the JVM is stopped. */
public final class SlbMain {
  private SlbMain() {}

  public static void main(String[] args) throws InterruptedException {
    SlbConfig config = ConfigLoader.load(SlbConfig.class, "slb.yml", args);
    SlbServer server = new SlbServer(config).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, config.instance() + "-stop"));
  }
}
