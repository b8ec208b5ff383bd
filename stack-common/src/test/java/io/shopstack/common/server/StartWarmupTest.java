package io.shopstack.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StartWarmupTest {
  private static final CountDownLatch INITIALISED = new CountDownLatch(1);
  private static volatile String initialisedBy;

  /** Initialised by the warm-up: this test's own thread never touches it. */
  static final class Heavy {
    static {
      initialisedBy = Thread.currentThread().getName();
      INITIALISED.countDown();
    }

    private Heavy() {}
  }

  @Test
  void initialisesWhatItIsGivenOnAThreadOfItsOwnAndShrugsOffWhatIsNotThere() throws Exception {
    // A class that does not exist first: the warm-up carries on with nothing to report (main meets
    // a missing class itself); then one that does, which it initialises on its own thread.
    StartWarmup.begin(List.of("io.shopstack.common.server.NoSuchClass"));
    StartWarmup.begin(List.of(Heavy.class.getName()));

    assertThat(INITIALISED.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(initialisedBy).isEqualTo("start-warmup");
  }
}
