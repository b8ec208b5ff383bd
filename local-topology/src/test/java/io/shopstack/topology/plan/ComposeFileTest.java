package io.shopstack.topology.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml is what users run, ShopStack what the Docker suite runs, and both must be the
 * stack of {@code topology.yml}: compose is written by hand (with comments a generator would lose),
 * so this test holds it to the table, service by service.
 */
class ComposeFileTest {
  // Surefire runs in the module's directory; the compose file is at the repository root.
  private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

  private final Topology topology = Topology.load();

  @Test
  void composeFileStatesWhatTheTopologyTableStates() throws Exception {
    String text = Files.readString(COMPOSE, StandardCharsets.UTF_8);
    assertThat(new ComposeFile(text).differences(topology))
        .as("docker-compose.yml against local-topology/src/main/resources/topology.yml")
        .isEmpty();
  }

  @Test
  void aMovedAddressAStrayVariableAndALostDependencyAreEachReported() throws Exception {
    String text =
        Files.readString(COMPOSE, StandardCharsets.UTF_8)
            .replace("172.29.0.2}", "172.29.0.3}")
            .replace("SHOP_ROUTES: datacenter", "SHOP_ROUTES: datacenter\n      SHOP_STRAY: x")
            .replace("order-2: {condition: service_healthy}", "");
    assertThat(new ComposeFile(text).differences(topology))
        .hasSize(3)
        .anySatisfy(d -> assertThat(d).startsWith("service slb networks"))
        .anySatisfy(d -> assertThat(d).startsWith("service dc-cache environment"))
        .anySatisfy(d -> assertThat(d).startsWith("service slb depends_on"));
  }

  @Test
  void everyInstanceOfTheStackStartsAfterWhatItTalksTo() {
    assertThat(topology.waves())
        .extracting(wave -> wave.stream().map(Instance::name).toList())
        .containsExactly(
            List.of(
                "dns-root",
                "dns-tld",
                "dns-shop",
                "dns-resolver",
                "postgres",
                "object-store",
                "router-north",
                "router-south"),
            List.of("order-1"),
            List.of("order-2"),
            List.of("slb"),
            List.of("dc-cache"),
            List.of("edge-north", "edge-south"),
            // The GSLB health-checks the edges: started before them it would mark both down.
            List.of("dns-cdn"));
  }
}
