package io.shopstack.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network.Ipam;
import io.shopstack.topology.plan.Instance;
import io.shopstack.topology.plan.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;

/**
 * The whole stack as one {@link Startable}, built from {@code topology.yml} like the compose file
 * users run: the real images on the same networks (backbone, the regions' access networks behind
 * their routers, datacenter) at the same fixed addresses, with the same routes, so a phone's
 * packets cross its region's router and dc-cache reaches the order pages through the SLB's
 * datacenter leg, as in compose. Started in the table's waves (what the next wave talks to is
 * healthy first) and closed completely, because Ryuk cannot run here.
 */
final class ShopStack implements Startable {
  private static final Logger log = LoggerFactory.getLogger(ShopStack.class);
  // A guard against a hang, not a measurement: a loaded 2-core machine took 120 s for one JVM.
  private static final Duration STARTUP = Duration.ofSeconds(300);

  private final Topology topology = Topology.load();
  private final Map<String, Network> networks = new LinkedHashMap<>();
  private final Map<String, GenericContainer<?>> services = new LinkedHashMap<>();
  private final List<List<GenericContainer<?>>> waves = new ArrayList<>();
  // The routers' captures: a named volume Docker creates at the first mount; removed in stop().
  private final String capturesVolume;

  ShopStack() {
    // shop-it-*: the names the suite's clean-up removes after an aborted run.
    String run = Long.toString(System.nanoTime());
    capturesVolume = "shop-it-" + Instance.CAPTURES_VOLUME + "-" + run;
    topology
        .networks()
        .forEach(
            n ->
                networks.put(
                    n.name(),
                    Network.builder()
                        .createNetworkCmdModifier(
                            cmd ->
                                cmd.withName("shop-it-" + n.name() + "-" + run)
                                    .withIpam(
                                        new Ipam()
                                            .withConfig(new Ipam.Config().withSubnet(n.subnet()))))
                        .build()));
    for (List<Instance> wave : topology.waves()) {
      waves.add(wave.stream().map(this::service).toList());
    }
  }

  private GenericContainer<?> service(Instance instance) {
    PlannedContainer c =
        new PlannedContainer(instance, networks, capturesVolume)
            .withEnv(topology.dockerEnv(instance))
            .withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger(instance.name())));
    instance.tcpPorts().forEach(c::addExposedPort);
    if (instance.ours()) {
      c.addExposedPort(topology.adminPort());
      c.waitingFor(
          Wait.forHttp("/health")
              .forPort(topology.adminPort())
              .forStatusCode(200)
              .withStartupTimeout(STARTUP));
    } else if (instance.router()) {
      // Its image's HEALTHCHECK: up once its routes are set and forwarding is on.
      c.waitingFor(Wait.forHealthcheck().withStartupTimeout(STARTUP));
    } else {
      c.waitingFor(Wait.forListeningPort().withStartupTimeout(STARTUP));
    }
    services.put(instance.name(), c);
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
   * Runs the phone app {@code name} of the table (a client in a region's subnet) to completion and
   * returns its exit code and everything it printed.
   */
  Compose.Result runClient(String name) {
    return runClient(name, new String[0]);
  }

  /** Runs the client app with {@code arguments} (a command, e.g. {@code load ...}) instead. */
  Compose.Result runClient(String name, String... arguments) {
    return run(name, arguments).all();
  }

  /**
   * Runs the client app with {@code arguments} and returns only what it wrote to stdout (e.g. the
   * document of {@code --json}, whose narration goes to stderr), with its exit code.
   */
  Compose.Result runClientStdout(String name, String... arguments) {
    return run(name, arguments).stdout();
  }

  private record ClientRun(Compose.Result all, Compose.Result stdout) {}

  private ClientRun run(String name, String... arguments) {
    Instance phone = topology.instance(name);
    try (PlannedContainer client =
        new PlannedContainer(phone, networks, capturesVolume)
            .withEnv(topology.dockerEnv(phone))
            .withStartupCheckStrategy(new RanToCompletion().withTimeout(STARTUP))) {
      if (arguments.length > 0) {
        client.withCommand(arguments); // after the image's entrypoint: the app's own arguments
      }
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
      System.out.println("---- " + name + " " + phone.addresses() + " ----\n" + output);
      return new ClientRun(
          new Compose.Result(exit, output),
          new Compose.Result(exit, client.getLogs(OutputFrame.OutputType.STDOUT)));
    }
  }

  @Override
  public void stop() {
    services.forEach(
        (name, c) -> {
          try {
            c.stop();
          } catch (RuntimeException e) {
            log.warn("stopping {} failed: {}", name, e.toString());
          }
        });
    networks.values().forEach(Network::close);
    try {
      DockerClientFactory.instance().client().removeVolumeCmd(capturesVolume).exec();
    } catch (RuntimeException e) {
      log.warn("removing volume {} failed: {}", capturesVolume, e.toString());
    }
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
