package io.shopstack.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start is the contract: two commands, one for the demo and one for the tests.
 * The suite runs the demo command exactly as written (ComposeDemoIT) and CI runs the test command;
 * this test fails when either drifts from what the README shows.
 */
class ReadmeCommandsTest {
  private static final Pattern QUICK_START =
      Pattern.compile("## Quick start[^\\n]*\\n+```sh\\n(.*?)```", Pattern.DOTALL);

  @Test
  void quickStartIsTheDemoCommandAndTheTestCommand() throws IOException {
    assertThat(quickStart()).containsExactly(ComposeDemoIT.DEMO_COMMAND, "./shop test");
  }

  @Test
  void theReadmeShowsTheSouthPhoneAsTheSuiteRunsIt() throws IOException {
    assertThat(Files.readString(Compose.REPO_ROOT.resolve("README.md")))
        .contains("`docker-compose " + ComposeDemoIT.SOUTH_DEMO + "`");
  }

  @Test
  void theReadmeCutsRegionNorthAsTheSuiteDoes() throws IOException {
    assertThat(Files.readString(Compose.REPO_ROOT.resolve("README.md")))
        .contains("`docker-compose " + ComposeDemoIT.STOP_ROUTER_NORTH + "`")
        .contains("`docker-compose " + ComposeDemoIT.NORTH_DEMO_ALONE + "`")
        .contains("`docker-compose " + ComposeDemoIT.START_ROUTER_NORTH + "`");
  }

  @Test
  void ciRunsTheReadmesTestCommandAndNothingElse() throws IOException {
    // Everything else in it is clean-up; the project's commands are the lines run as ./...
    List<String> commands =
        Files.readAllLines(Compose.REPO_ROOT.resolve(".ci/run")).stream()
            .map(String::strip)
            .filter(line -> line.startsWith("./"))
            .toList();
    assertThat(commands).containsExactly(quickStart().get(1));
  }

  private static List<String> quickStart() throws IOException {
    String readme = Files.readString(Compose.REPO_ROOT.resolve("README.md"));
    Matcher m = QUICK_START.matcher(readme);
    assertThat(m.find()).as("README has a Quick start section with a sh block").isTrue();
    return m.group(1).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }
}
