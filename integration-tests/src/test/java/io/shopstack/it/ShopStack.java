package io.shopstack.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network.Ipam;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;

/**
 * The whole stack as one {@link Startable}: the real images on one Docker network that spans both
 * halves of DESIGN.md's address plan (172.28.0.0/15 holds 172.28.x.y and 172.29.0.y), so every
 * service keeps its planned address and the zone files need no change. Started in waves (what the
 * next wave talks to must be healthy first) and closed completely, because Ryuk cannot run here.
 */
final class ShopStack implements Startable {
  private static final Logger log = LoggerFactory.getLogger(ShopStack.class);
  static final int ADMIN_PORT = 9901;

  private final Network network =
      Network.builder()
          .createNetworkCmdModifier(
              cmd ->
                  cmd.withName("shop-it-" + System.nanoTime())
                      .withIpam(
                          new Ipam().withConfig(new Ipam.Config().withSubnet("172.28.0.0/15"))))
          .build();
  private final Map<String, GenericContainer<?>> services = new LinkedHashMap<>();
  private final List<List<GenericContainer<?>>> waves = new ArrayList<>();

  ShopStack() {
    var root =
        service(
            "dns-root",
            "dns-authoritative",
            "172.28.0.2",
            Map.of("SHOP_ZONES", ".=classpath:zones/root.zone"));
    var tld =
        service(
            "dns-tld",
            "dns-authoritative",
            "172.28.0.3",
            Map.of("SHOP_ZONES", "example.=classpath:zones/example.zone"));
    var shop = service("dns-shop", "dns-authoritative", "172.28.0.4", Map.of());
    var cdn = service("dns-cdn", "dns-cdn", "172.28.0.5", Map.of());
    var resolver = service("dns-resolver", "dns-resolver", "172.28.0.53", Map.of());
    resolver.addExposedPort(53);
    var postgres =
        new GenericContainer<>("shop/postgres:15")
            .withNetwork(network)
            .withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address("172.29.0.5"))
            .withEnv(
                Map.of("POSTGRES_USER", "shop", "POSTGRES_PASSWORD", "shop", "POSTGRES_DB", "shop"))
            .withExposedPorts(5432)
            .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofSeconds(60)));
    services.put("postgres", postgres);
    var objects = service("object-store", "object-store", "172.28.0.91", Map.of());
    waves.add(List.of(root, tld, shop, cdn, resolver, postgres, objects));

    Map<String, String> db =
        Map.of(
            "SHOP_DB_URL", "jdbc:postgresql://172.29.0.5:5432/shop",
            "SHOP_DB_USER", "shop",
            "SHOP_DB_PASSWORD", "shop");
    // One after the other: two schema initialisations racing on PostgreSQL's catalog can fail one.
    waves.add(List.of(service("order-1", "order-service", "172.29.0.11", db)));
    waves.add(List.of(service("order-2", "order-service", "172.29.0.12", db)));
    waves.add(List.of(service("slb", "slb", "172.28.0.80", Map.of())));
    waves.add(
        List.of(
            // On the one network the SLB has one leg, the VIP; in compose dc-cache uses the
            // datacenter leg (172.29.0.2).
            service(
                "dc-cache",
                "edge-cache",
                "172.28.0.90",
                Map.of("SHOP_ROUTES", "/products/=172.28.0.80:80"))));
    waves.add(
        List.of(
            service("edge-north", "edge-cache", "172.28.1.20", Map.of()),
            service("edge-south", "edge-cache", "172.28.2.20", Map.of())));
  }

  private GenericContainer<?> service(
      String instance, String image, String address, Map<String, String> env) {
    GenericContainer<?> c =
        new GenericContainer<>("shop/" + image + ":dev")
            .withNetwork(network)
            .withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address(address))
            .withEnv(env)
            .withEnv("SHOP_INSTANCE", instance)
            .withExposedPorts(ADMIN_PORT)
            .withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger(instance)))
            .waitingFor(
                Wait.forHttp("/health")
                    .forPort(ADMIN_PORT)
                    .forStatusCode(200)
                    .withStartupTimeout(Duration.ofSeconds(120)));
    services.put(instance, c);
    return c;
  }

  GenericContainer<?> get(String instance) {
    return services.get(instance);
  }

  @Override
  public void start() {
    for (List<GenericContainer<?>> wave : waves) {
      Startables.deepStart(wave).join();
    }
    log.info("shop stack up: {}", services.keySet());
  }

  /**
   * Runs the phone app at {@code address} (a region's client subnet) to completion and returns its
   * exit code and everything it printed.
   */
  Compose.Result runClient(String name, String address) {
    try (GenericContainer<?> client =
        new GenericContainer<>("shop/client-app:dev")
            .withNetwork(network)
            .withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address(address))
            .withEnv("SHOP_INSTANCE", name)
            .withStartupCheckStrategy(new RanToCompletion().withTimeout(Duration.ofSeconds(120)))) {
      client.start(); // returns once the client has exited, whatever its exit code
      Long code =
          DockerClientFactory.instance()
              .client()
              .inspectContainerCmd(client.getContainerId())
              .exec()
              .getState()
              .getExitCodeLong();
      int exit = code == null ? -1 : code.intValue();
      String output = client.getLogs();
      System.out.println("---- " + name + " (" + address + ") ----\n" + output);
      return new Compose.Result(exit, output);
    }
  }

  @Override
  public void stop() {
    Stream.of(services.values().toArray(GenericContainer<?>[]::new))
        .forEach(
            c -> {
              try {
                c.stop();
              } catch (RuntimeException e) {
                log.warn("stopping {} failed: {}", c.getDockerImageName(), e.toString());
              }
            });
    network.close();
  }

  /**
   * "Started" means "ran to the end", whatever the exit code: the test wants the code and the
   * output of a failed journey too, which Testcontainers' one-shot strategy would throw away.
   */
  private static final class RanToCompletion extends StartupCheckStrategy {
    @Override
    public StartupStatus checkStartupState(DockerClient docker, String containerId) {
      return Boolean.TRUE.equals(getCurrentState(docker, containerId).getRunning())
          ? StartupStatus.NOT_YET_KNOWN
          : StartupStatus.SUCCESSFUL;
    }
  }
}
