package io.shopstack.dns.resolver;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.LeakDetection;

/** Runs one resolver instance from {@code dns-resolver.yml} until the process is stopped. */
public final class ResolverMain {
  private ResolverMain() {}

  public static void main(String[] args) throws InterruptedException {
    LeakDetection.offUnlessAsked(System.getProperties());
    ResolverConfig config = ConfigLoader.load(ResolverConfig.class, "dns-resolver.yml", args);
    ResolverServer server = new ResolverServer(config).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, config.instance() + "-stop"));
  }
}
