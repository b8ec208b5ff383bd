package io.shopstack.topology;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.dns.authoritative.AuthoritativeConfig;
import io.shopstack.dns.authoritative.AuthoritativeServer;
import io.shopstack.dns.cdn.CdnDnsConfig;
import io.shopstack.dns.cdn.CdnDnsServer;
import io.shopstack.dns.resolver.ResolverConfig;
import io.shopstack.dns.resolver.ResolverServer;
import io.shopstack.edge.EdgeCacheConfig;
import io.shopstack.edge.EdgeCacheServer;
import io.shopstack.objectstore.ObjectStoreApplication;
import io.shopstack.order.OrderServiceApplication;
import io.shopstack.slb.SlbConfig;
import io.shopstack.slb.SlbServer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service of the journey in this JVM, on DESIGN.md's address plan moved under 127/8
 * (172.28.1.20 becomes 127.28.1.20; every 127.x.y.z address is on Linux's loopback already). Each
 * instance is configured exactly as in Docker, by its service's own YAML file and a few variables
 * (SHOP_INSTANCE, SHOP_BIND, ...); the YAML defaults are this topology's, so most instances need
 * only their name and address. Started in the order a data centre would be brought up: DNS, storage
 * and the shop first, then the load balancer and caches.
 */
public final class LocalTopology implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalTopology.class);

  private final Path dataDir;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();

  /** {@code dataDir} holds the order database and the object store's files. */
  public LocalTopology(Path dataDir) {
    this.dataDir = dataDir.toAbsolutePath();
  }

  /** The JDBC URL both order instances share (one H2 database, as they share PostgreSQL). */
  public String orderDatabaseUrl() {
    return "jdbc:h2:file:"
        + dataDir.resolve("orders")
        + ";MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE;AUTO_SERVER=FALSE";
  }

  public LocalTopology start() throws InterruptedException {
    // Spring would reconfigure Logback for the whole JVM on each of its three starts.
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    long began = System.nanoTime();
    try {
      dns("dns-root", "127.28.0.2", ".=classpath:zones/root.zone");
      dns("dns-tld", "127.28.0.3", "example.=classpath:zones/example.zone");
      dns("dns-shop", "127.28.0.4", null);
      running.push(
          new CdnDnsServer(config(CdnDnsConfig.class, "dns-cdn.yml", vars("dns-cdn", "127.28.0.5")))
              .start());
      running.push(
          new ResolverServer(
                  config(
                      ResolverConfig.class,
                      "dns-resolver.yml",
                      vars("dns-resolver", "127.28.0.53")))
              .start());

      Map<String, String> objects = vars("object-store", "127.28.0.91");
      objects.put("SHOP_DATA_DIR", dataDir.resolve("object-store").toString());
      // The order service's JDBC driver shares this class path; the object store has no database.
      objects.put(
          "spring.autoconfigure.exclude",
          "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
      running.push(ObjectStoreApplication.start(Map.copyOf(objects))::close);
      for (String[] order :
          new String[][] {{"order-1", "127.29.0.11"}, {"order-2", "127.29.0.12"}}) {
        Map<String, String> v = vars(order[0], order[1]);
        v.put("SHOP_DB_URL", orderDatabaseUrl());
        running.push(OrderServiceApplication.start(Map.copyOf(v))::close);
      }

      running.push(
          new SlbServer(config(SlbConfig.class, "slb.yml", vars("slb", "127.28.0.80"))).start());
      Map<String, String> dc = vars("dc-cache", "127.28.0.90");
      dc.put("SHOP_ROUTES", "datacenter");
      edge(dc);
      edge(vars("edge-north", "127.28.1.20"));
      edge(vars("edge-south", "127.28.2.20"));
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
    log.info("local topology up in {} ms", (System.nanoTime() - began) / 1_000_000);
    return this;
  }

  private void dns(String instance, String address, String zones) throws InterruptedException {
    Map<String, String> v = vars(instance, address);
    if (zones != null) {
      v.put("SHOP_ZONES", zones);
    }
    running.push(
        new AuthoritativeServer(config(AuthoritativeConfig.class, "dns-authoritative.yml", v))
            .start());
  }

  private void edge(Map<String, String> v) throws InterruptedException {
    running.push(new EdgeCacheServer(config(EdgeCacheConfig.class, "edge-cache.yml", v)).start());
  }

  private static Map<String, String> vars(String instance, String address) {
    Map<String, String> v = new HashMap<>();
    v.put("SHOP_INSTANCE", instance);
    v.put("SHOP_BIND", address);
    return v;
  }

  private static <T> T config(Class<T> type, String file, Map<String, String> vars) {
    return ConfigLoader.load(type, "classpath:" + file, vars);
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        log.warn("stopping a service failed: {}", e.toString());
      }
    }
  }
}
