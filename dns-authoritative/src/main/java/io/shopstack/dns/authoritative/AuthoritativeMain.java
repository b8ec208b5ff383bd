package io.shopstack.dns.authoritative;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.LeakDetection;
import io.shopstack.dns.server.DnsStartWarmup;

/** Runs one authoritative instance; which one (root, TLD, shop) is decided by the environment. */
public final class AuthoritativeMain {
  private AuthoritativeMain() {}

  public static void main(String[] args) throws InterruptedException {
    DnsStartWarmup.begin();
    AuthoritativeConfig config =
        ConfigLoader.load(AuthoritativeConfig.class, "dns-authoritative.yml", args);
    LeakDetection.offUnlessAsked(System.getProperties());
    AuthoritativeServer server = new AuthoritativeServer(config).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
  }
}
