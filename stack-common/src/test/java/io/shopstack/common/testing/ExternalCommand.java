package io.shopstack.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real tool (curl, dig, docker, unbound-control) the way a user would, with a time limit.
 * Tests that need a tool fail when it is missing, with the tool's name in the message: a skipped
 * interop test would pass in silence on a machine that cannot run it.
 */
public final class ExternalCommand {
  /** What the tool did: exit code, standard output and standard error, each decoded as UTF-8. */
  public record Result(List<String> command, int exitCode, String output, String errors) {
    /** This result, if the exit code is 0; otherwise an assertion error showing everything. */
    public Result assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(describe("exited with " + exitCode));
      }
      return this;
    }

    String describe(String what) {
      return String.join(" ", command)
          + " "
          + what
          + "\n--- stdout ---\n"
          + output
          + "\n--- stderr ---\n"
          + errors;
    }
  }

  private ExternalCommand() {}

  public static Result run(Duration timeout, String... command) {
    return run(null, timeout, List.of(command));
  }

  public static Result run(Duration timeout, List<String> command) {
    return run(null, timeout, command);
  }

  /**
   * Runs {@code command} in {@code directory} (null: the current one) and waits at most {@code
   * timeout}; a tool still running then is killed and the test fails with what it printed.
   */
  public static Result run(Path directory, Duration timeout, List<String> command) {
    return run(directory, timeout, command, false);
  }

  /**
   * Like {@link #run(Path, Duration, List)}, and echoes what the tool prints as it prints it: for
   * tools that run for minutes (docker-compose), whose progress belongs in the test's log.
   */
  public static Result runEchoed(Path directory, Duration timeout, List<String> command) {
    return run(directory, timeout, command, true);
  }

  private static Result run(Path directory, Duration timeout, List<String> command, boolean echo) {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run '" + command.get(0) + "' (is it installed and on the PATH?): " + e, e);
    }
    CompletableFuture<String> output = drain(process.getInputStream(), echo);
    CompletableFuture<String> errors = drain(process.getErrorStream(), echo);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError(
            new Result(command, -1, partial(output), partial(errors))
                .describe("did not finish within " + timeout));
      }
      return new Result(
          List.copyOf(command),
          process.exitValue(),
          output.get(5, TimeUnit.SECONDS),
          errors.get(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("cannot read the output of " + command, e);
    }
  }

  // Both streams are read while the tool runs: a tool that fills a pipe buffer would block forever.
  private static CompletableFuture<String> drain(InputStream stream, boolean echo) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (stream) {
                ByteArrayOutputStream read = new ByteArrayOutputStream();
                byte[] chunk = new byte[8192];
                for (int n; (n = stream.read(chunk)) > 0; ) {
                  read.write(chunk, 0, n);
                  if (echo) {
                    System.out.print(new String(chunk, 0, n, StandardCharsets.UTF_8));
                  }
                }
                text.complete(read.toString(StandardCharsets.UTF_8));
              } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
              }
            },
            "external-command-reader");
    reader.setDaemon(true);
    reader.start();
    return text;
  }

  private static String partial(CompletableFuture<String> text) {
    return text.getNow("(no output read)");
  }
}
