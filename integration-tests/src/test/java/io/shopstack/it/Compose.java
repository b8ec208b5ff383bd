package io.shopstack.it;

import io.shopstack.common.testing.ExternalCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the compose file users run, with whichever compose the machine has: the v2 plugin ({@code
 * docker compose}) when present, else v1 ({@code docker-compose}, Debian's). Both read the same
 * file; the suite proves it with the one it finds.
 */
final class Compose {
  record Result(int exitCode, String output) {}

  static final Path REPO_ROOT =
      Path.of(System.getProperty("shop.repo.root", "..")).toAbsolutePath().normalize();

  private static List<String> command;

  private Compose() {}

  static synchronized List<String> command() {
    if (command == null) {
      command =
          run(List.of("docker", "compose", "version"), 30).exitCode() == 0
              ? List.of("docker", "compose")
              : List.of("docker-compose");
    }
    return command;
  }

  /** Runs {@code compose ARGS} in the repository root; the output is echoed and returned. */
  static Result compose(long timeoutSeconds, String... args) {
    List<String> full = new ArrayList<>(command());
    full.addAll(List.of("-f", REPO_ROOT.resolve("docker-compose.yml").toString()));
    full.addAll(List.of(args));
    return run(full, timeoutSeconds);
  }

  /** The ids of every container of the compose project, running or exited. */
  static Set<String> containerIds() {
    Result ps = compose(60, "ps", "-q");
    if (ps.exitCode() != 0) {
      throw new AssertionError("compose ps failed: " + ps.output());
    }
    // Only the ids: compose may print warnings on the same (merged) stream.
    return Arrays.stream(ps.output().split("\\s+"))
        .filter(word -> word.matches("[0-9a-f]{12,64}"))
        .collect(Collectors.toSet());
  }

  /**
   * Runs {@code cmd} in the repository root, echoing what it prints as it goes (compose runs take
   * minutes); standard output then standard error, as one text.
   */
  static Result run(List<String> cmd, long timeoutSeconds) {
    ExternalCommand.Result result =
        ExternalCommand.runEchoed(REPO_ROOT, Duration.ofSeconds(timeoutSeconds), cmd);
    return new Result(result.exitCode(), result.output() + result.errors());
  }

  /**
   * Builds every service image from its module's runnable jar, once per test JVM. A missing base
   * image or jar fails here, loudly: the suite never passes by running nothing.
   */
  static synchronized void buildImagesOnce() {
    if (built) {
      return;
    }
    // A stack left running by a user or an aborted run would own the address plan's subnets;
    // so would the network of an aborted Testcontainers run (Ryuk cannot clean up here), which
    // also leaves its captures volume behind.
    compose(180, "down", "-v", "--remove-orphans", "-t", "2");
    run(
        List.of(
            "bash",
            "-c",
            "docker ps -aq --filter label=org.testcontainers=true | xargs -r docker rm -f;"
                + " docker network ls -q --filter name=shop-it- | xargs -r docker network rm;"
                + " docker volume ls -q --filter name=shop-it- | xargs -r docker volume rm"),
        120);
    Result build = compose(900, "build");
    if (build.exitCode() != 0) {
      throw new AssertionError(
          "building the service images failed (did `docker/base-images.sh` run?)");
    }
    built = true;
  }

  private static boolean built;
}
