package io.shopstack.dns.cdn;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.LeakDetection;
import io.shopstack.dns.server.DnsStartWarmup;

/** Runs the CDN's DNS (GSLB) from {@code dns-cdn.yml} and the environment. */
public final class CdnDnsMain {
  private CdnDnsMain() {}

  public static void main(String[] args) throws InterruptedException {
    DnsStartWarmup.begin();
    CdnDnsConfig config = ConfigLoader.load(CdnDnsConfig.class, "dns-cdn.yml", args);
    LeakDetection.offUnlessAsked(System.getProperties());
    // POST /reload reads the same file with the same environment again.
    CdnDnsServer server =
        new CdnDnsServer(config, () -> ConfigLoader.load(CdnDnsConfig.class, "dns-cdn.yml", args))
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
  }
}
