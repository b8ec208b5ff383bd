package io.shopstack.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's no-Docker command, run exactly as written on the runnable jar the build just made:
 * the in-process journey test cannot see what only the jar lacks (a library left out of it once
 * made this command fail while every test passed).
 */
class LocalDemoIT {
  /** The README's command for machines without Docker, word for word. */
  static final String LOCAL_COMMAND = "./shop local";

  private static final Path REPO_ROOT =
      Path.of(System.getProperty("shop.repo.root", "..")).toAbsolutePath().normalize();

  @Test
  void readmeShowsTheCommandThisTestRuns() throws Exception {
    assertThat(Files.readString(REPO_ROOT.resolve("README.md")))
        .contains("```sh\n" + LOCAL_COMMAND + "\n```");
  }

  @Test
  void localCommandRunsTheWholeJourneyAndExitsZero() {
    ExternalCommand.Result run =
        ExternalCommand.run(REPO_ROOT, Duration.ofMinutes(5), List.of("bash", "-c", LOCAL_COMMAND));
    String printed = run.output() + run.errors();
    assertThat(run.exitCode()).as(printed).isZero();
    assertThat(run.output())
        .containsPattern("OK\\s+resolve\\s+www\\.shop\\.example -> 127\\.28\\.0\\.80")
        .containsPattern("OK\\s+pictures\\s+page 200 MISS, .*reload HIT")
        .containsPattern("OK\\s+buy\\s+status 201")
        .contains("journey OK");
    // One log format: Tomcat's java.util.logging goes through the same output as the rest.
    assertThat(printed).doesNotContainPattern("(?m)^INFO: ");
  }
}
