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
import io.shopstack.topology.plan.Instance;
import io.shopstack.topology.plan.Topology;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Every service of the journey in this JVM, on DESIGN.md's address plan moved under 127/8
 * (172.28.1.20 becomes 127.28.1.20; every 127.x.y.z address is on Linux's loopback already). The
 * instances, their addresses, variables and start order come from {@code topology.yml}, the table
 * the Docker suite reads too; each instance is configured exactly as in Docker, by its service's
 * own YAML file and those variables, whose defaults are this topology's ports.
 */
public final class LocalTopology implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalTopology.class);

  private final Topology topology = Topology.load();
  private final Path dataDir;
  private final Map<String, String> operatorSettings;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();

  /** {@code dataDir} holds the order database and the object store's files. */
  public LocalTopology(Path dataDir) {
    this(dataDir, Map.of());
  }

  /**
   * @param environment the operator's knobs ({@code SHOP_AXFR_ALLOW}, {@code SHOP_RRL_RPS}, ...),
   *     as in Docker where compose passes them: every {@code SHOP_*} variable reaches every
   *     instance, under the table's own variables (an instance's name and address always come from
   *     the table, and each reads its own file, so {@code SHOP_CONFIG} is not passed)
   */
  public LocalTopology(Path dataDir, Map<String, String> environment) {
    this.dataDir = dataDir.toAbsolutePath();
    Map<String, String> knobs = new HashMap<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("SHOP_") && !name.equals("SHOP_CONFIG")) {
            knobs.put(name, value);
          }
        });
    this.operatorSettings = Map.copyOf(knobs);
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
    // Without Spring's logging system Tomcat logs through java.util.logging, two lines a message
    // in another format: send it to the same Logback output as everything else.
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    long began = System.nanoTime();
    try {
      // One after the other, wave by wave: each start returns once the instance serves.
      for (List<Instance> wave : topology.waves()) {
        for (Instance instance : wave) {
          if (!instance.dockerOnly()) {
            Map<String, String> vars = new HashMap<>(operatorSettings);
            vars.putAll(topology.localEnv(instance));
            running.push(start(instance, vars));
          }
        }
      }
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
    log.info("local topology up in {} ms", (System.nanoTime() - began) / 1_000_000);
    return this;
  }

  private AutoCloseable start(Instance instance, Map<String, String> vars)
      throws InterruptedException {
    String file = "classpath:" + instance.module() + ".yml";
    return switch (instance.module()) {
      case "dns-authoritative" ->
          new AuthoritativeServer(ConfigLoader.load(AuthoritativeConfig.class, file, vars)).start();
      case "dns-cdn" -> new CdnDnsServer(ConfigLoader.load(CdnDnsConfig.class, file, vars)).start();
      case "dns-resolver" ->
          new ResolverServer(ConfigLoader.load(ResolverConfig.class, file, vars)).start();
      case "slb" -> new SlbServer(ConfigLoader.load(SlbConfig.class, file, vars)).start();
      case "edge-cache" ->
          new EdgeCacheServer(ConfigLoader.load(EdgeCacheConfig.class, file, vars)).start();
      case "object-store" -> {
        vars.put("SHOP_DATA_DIR", dataDir.resolve("object-store").toString());
        // The order service's JDBC driver shares this class path; the object store has no database.
        vars.put(
            "spring.autoconfigure.exclude",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
        yield ObjectStoreApplication.start(Map.copyOf(vars))::close;
      }
      case "order-service" -> {
        // PostgreSQL's stand-in: one H2 file both instances share.
        vars.put("SHOP_DB_URL", orderDatabaseUrl());
        yield OrderServiceApplication.start(Map.copyOf(vars))::close;
      }
      default ->
          throw new IllegalStateException(
              instance.name() + ": the local topology cannot run module " + instance.module());
    };
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
