package io.shopstack.dns.cdn.gslb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The load step: ten steps from idle to full, never zero, moved only by whole steps. */
class EdgeLoadTest {
  @Test
  void stepsFollowTheLoadByWholeStepsOnly() {
    assertThat(EdgeLoad.step(10, 0, 1000)).isEqualTo(10);
    assertThat(EdgeLoad.step(10, 500, 1000)).isEqualTo(5);
    assertThat(EdgeLoad.step(10, 5000, 1000)).as("over capacity: smallest share").isEqualTo(1);
    assertThat(EdgeLoad.step(5, 540, 1000)).as("wobble below a step").isEqualTo(5);
    assertThat(EdgeLoad.step(5, 460, 1000)).as("wobble above a step").isEqualTo(5);
    assertThat(EdgeLoad.step(5, 600, 1000)).isEqualTo(4);
    assertThat(EdgeLoad.step(1, 0, 1000)).isEqualTo(10);
  }

  @Test
  void loadIsTheSumOfTheMetricsSamples() {
    String page =
        """
        # HELP edge_client_connections_open open
        edge_client_connections_open{listener="a"} 3.0
        edge_client_connections_open{listener="b"} 4.0
        edge_client_connections_opened_total 99.0
        """;
    assertThat(MetricsProbe.sum(page, "edge_client_connections_open").load()).isEqualTo(7);
    assertThat(MetricsProbe.sum(page, "nothing").ok()).isFalse();
  }
}
