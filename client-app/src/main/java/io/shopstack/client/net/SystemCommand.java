package io.shopstack.client.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the host's network tools ({@code ip}, {@code tracepath}) to completion, bounded in
 * time: the journey asks the kernel, it does not re-implement it. The output goes to a file, not a
 * pipe, so a tool that prints more than a pipe holds cannot stall while the bound runs out.
 */
final class SystemCommand {
  private SystemCommand() {}

  /** What the command printed (stdout and stderr), or empty if it is missing, failed or hung. */
  static Optional<String> output(Duration bound, String... command) {
    Path file = null;
    try {
      file = Files.createTempFile("shop-net-", ".out");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(file.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return process.exitValue() == 0
          ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // the tool is not installed on this host
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temporary file left in /tmp is harmless
        }
      }
    }
  }
}
