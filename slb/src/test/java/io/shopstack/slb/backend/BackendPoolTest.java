package io.shopstack.slb.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendPoolTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.28.1.10", 40000);
  private final BackendPool pool =
      new BackendPool(
          List.of(
              new InetSocketAddress("127.29.0.11", 8080),
              new InetSocketAddress("127.29.0.12", 8080),
              new InetSocketAddress("127.29.0.13", 8080)),
          new RoundRobin());

  private List<String> nextCandidates() {
    return pool.candidates(CLIENT).stream().map(Backend::name).toList();
  }

  @Test
  void eachConnectionStartsOneFurtherAndFailsOverThroughTheRest() {
    assertThat(nextCandidates())
        .containsExactly("127.29.0.11:8080", "127.29.0.12:8080", "127.29.0.13:8080");
    assertThat(nextCandidates())
        .containsExactly("127.29.0.12:8080", "127.29.0.13:8080", "127.29.0.11:8080");
    assertThat(nextCandidates())
        .containsExactly("127.29.0.13:8080", "127.29.0.11:8080", "127.29.0.12:8080");
    assertThat(nextCandidates())
        .containsExactly("127.29.0.11:8080", "127.29.0.12:8080", "127.29.0.13:8080");
  }

  @Test
  void backendsThatAreDownAreNotCandidates() {
    pool.backends().get(1).state(BackendState.DOWN);

    assertThat(nextCandidates()).containsExactly("127.29.0.11:8080", "127.29.0.13:8080");
    assertThat(nextCandidates()).containsExactly("127.29.0.13:8080", "127.29.0.11:8080");
  }

  @Test
  void noCandidatesWhenEveryBackendIsDown() {
    pool.backends().forEach(b -> b.state(BackendState.DOWN));

    assertThat(nextCandidates()).isEmpty();
  }

  @Test
  void aPoolNeedsABackend() {
    assertThatThrownBy(() -> new BackendPool(List.of(), new RoundRobin()))
        .hasMessageContaining("at least one backend");
  }
}
