package io.shopstack.dns.resolver;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.LeakDetection;
import io.shopstack.dns.server.DnsStartWarmup;

/** Runs one resolver instance from {@code dns-resolver.yml} until the process is stopped. */
public final class ResolverMain {
  private ResolverMain() {}

  public static void main(String[] args) throws InterruptedException {
    DnsStartWarmup.begin();
    ResolverConfig config = ConfigLoader.load(ResolverConfig.class, "dns-resolver.yml", args);
    LeakDetection.offUnlessAsked(System.getProperties());
    ResolverServer server = new ResolverServer(config).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, config.instance() + "-stop"));
  }
}
