package io.shopstack.client.journey;

import io.shopstack.client.Failure;
import java.time.Duration;
import java.util.List;

/**
 * How one step of the journey ended.
 *
 * @param summary one line of what happened, for the summary table
 * @param problems why the step failed, each naming what and where (empty when it succeeded)
 */
public record StepResult(String name, String summary, List<Problem> problems, Duration took) {
  public StepResult {
    problems = List.copyOf(problems);
  }

  /** One thing that went wrong, and at which layer (which decides the exit code). */
  public record Problem(Failure failure, String text) {}

  public boolean ok() {
    return problems.isEmpty();
  }
}
