package io.shopstack.client.journey;

import io.shopstack.client.Failure;
import java.time.Duration;
import java.util.List;

/**
 * How one step of the journey ended.
 *
 * @param summary one line of what happened, for the summary table
 * @param problems why the step failed, each naming what and where (empty when it succeeded)
 * @param check for a failed step, the dig or curl command that asks the same server by hand; null
 *     when the step succeeded
 */
public record StepResult(
    String name, String summary, List<Problem> problems, Duration took, String check) {
  public StepResult {
    problems = List.copyOf(problems);
  }

  public StepResult(String name, String summary, List<Problem> problems, Duration took) {
    this(name, summary, problems, took, null);
  }

  /** This result with the command a user can try to see the failure for themselves. */
  public StepResult withCheck(String command) {
    return new StepResult(name, summary, problems, took, command);
  }

  /** One thing that went wrong, and at which layer (which decides the exit code). */
  public record Problem(Failure failure, String text) {}

  public boolean ok() {
    return problems.isEmpty();
  }
}
