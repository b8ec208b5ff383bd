package io.shopstack.topology.interop;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.dns.authoritative.AuthoritativeConfig;
import io.shopstack.dns.authoritative.AuthoritativeServer;
import io.shopstack.dns.cdn.CdnDnsConfig;
import io.shopstack.dns.cdn.CdnDnsServer;
import io.shopstack.topology.plan.Instance;
import io.shopstack.topology.plan.Topology;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The four authoritative servers of the journey (root, {@code example.}, {@code shop.example.},
 * {@code cdn.example.}) on their local addresses from {@code topology.yml} and on port 53, as in
 * Docker: a resolver we did not write sends every query to port 53 of the addresses it learns from
 * glue, so the local topology's 1053 would not do. Configured by the services' own YAML files and
 * the table's variables, exactly as {@code LocalTopology} configures them. Binding port 53 needs
 * root.
 */
final class JourneyNameServers implements AutoCloseable {
  static final String DNS_PORT = "53";

  private final Deque<AutoCloseable> running = new ArrayDeque<>();

  JourneyNameServers start() throws InterruptedException {
    Topology topology = Topology.load();
    try {
      for (Instance instance : topology.instances()) {
        if ("dns-authoritative".equals(instance.module()) || "dns-cdn".equals(instance.module())) {
          running.push(start(instance, vars(topology, instance)));
        }
      }
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
    return this;
  }

  private static AutoCloseable start(Instance instance, Map<String, String> vars)
      throws InterruptedException {
    String file = "classpath:" + instance.module() + ".yml";
    return instance.module().equals("dns-cdn")
        ? new CdnDnsServer(ConfigLoader.load(CdnDnsConfig.class, file, vars)).start()
        : new AuthoritativeServer(ConfigLoader.load(AuthoritativeConfig.class, file, vars)).start();
  }

  private static Map<String, String> vars(Topology topology, Instance instance) {
    Map<String, String> v = topology.localEnv(instance);
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
