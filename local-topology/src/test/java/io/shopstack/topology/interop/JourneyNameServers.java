package io.shopstack.topology.interop;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.dns.authoritative.AuthoritativeConfig;
import io.shopstack.dns.authoritative.AuthoritativeServer;
import io.shopstack.dns.cdn.CdnDnsConfig;
import io.shopstack.dns.cdn.CdnDnsServer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The four authoritative servers of the journey (root, {@code example.}, {@code shop.example.},
 * {@code cdn.example.}) on their addresses from the address plan and on port 53, as in Docker: a
 * resolver we did not write sends every query to port 53 of the addresses it learns from glue, so
 * the local topology's 1053 would not do. Configured by the services' own YAML files and variables,
 * exactly as {@code LocalTopology} configures them. Binding port 53 needs root.
 */
final class JourneyNameServers implements AutoCloseable {
  static final String DNS_PORT = "53";

  private final Deque<AutoCloseable> running = new ArrayDeque<>();

  JourneyNameServers start() throws InterruptedException {
    try {
      authoritative("dns-root", "127.28.0.2", ".=classpath:zones/root.zone");
      authoritative("dns-tld", "127.28.0.3", "example.=classpath:zones/example.zone");
      authoritative("dns-shop", "127.28.0.4", "shop.example.=classpath:zones/shop.example.zone");
      running.push(
          new CdnDnsServer(
                  ConfigLoader.load(
                      CdnDnsConfig.class, "classpath:dns-cdn.yml", vars("dns-cdn", "127.28.0.5")))
              .start());
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
    return this;
  }

  private void authoritative(String instance, String address, String zones)
      throws InterruptedException {
    Map<String, String> v = vars(instance, address);
    v.put("SHOP_ZONES", zones);
    running.push(
        new AuthoritativeServer(
                ConfigLoader.load(AuthoritativeConfig.class, "classpath:dns-authoritative.yml", v))
            .start());
  }

  private static Map<String, String> vars(String instance, String address) {
    Map<String, String> v = new HashMap<>();
    v.put("SHOP_INSTANCE", instance);
    v.put("SHOP_BIND", address);
    v.put("SHOP_DNS_PORT", DNS_PORT);
    // Any free admin port: the topology (or another test) may hold 9901 on these addresses.
    v.put("SHOP_ADMIN_PORT", "0");
    return v;
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        // Keep closing the others; the test reports its own failures.
      }
    }
  }
}
