package io.shopstack.dns.cdn;

import io.shopstack.common.config.ConfigLoader;

/** Runs the CDN's DNS (GSLB) from {@code dns-cdn.yml} and the environment. */
public final class CdnDnsMain {
  private CdnDnsMain() {}

  public static void main(String[] args) throws InterruptedException {
    CdnDnsConfig config = ConfigLoader.load(CdnDnsConfig.class, "dns-cdn.yml", args);
    CdnDnsServer server = new CdnDnsServer(config).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
  }
}
