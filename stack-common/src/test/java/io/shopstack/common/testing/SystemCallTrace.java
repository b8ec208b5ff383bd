package io.shopstack.common.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * strace attached to this JVM (every thread), writing the given system calls to a file: for tests
 * that count what a server asks of the kernel per connection or per query, which no Java API shows.
 * A machine without strace, or one where it may not attach, fails the test with the reason rather
 * than skipping it: {@code docker/setup.sh} installs strace, and a count that silently did not run
 * would pass on any code.
 */
public final class SystemCallTrace implements AutoCloseable {
  private static final Path STRACE = Path.of("/usr/bin/strace");

  private final Process strace;
  private final Path file;

  private SystemCallTrace(Process strace, Path file) {
    this.strace = strace;
    this.file = file;
  }

  /**
   * Starts tracing {@code calls} (strace's {@code -e trace=} list, e.g. {@code "getsockopt"}) into
   * {@code file}, and returns once strace is attached to every thread.
   */
  public static SystemCallTrace ofThisJvm(Path file, String calls) throws IOException {
    if (!Files.isExecutable(STRACE)) {
      throw new AssertionError(STRACE + " is missing: docker/setup.sh installs it (apt strace)");
    }
    Process strace =
        new ProcessBuilder(
                STRACE.toString(),
                "-f",
                "-e",
                "trace=" + calls,
                "-o",
                file.toString(),
                "-p",
                String.valueOf(ProcessHandle.current().pid()))
            .redirectErrorStream(true)
            .start();
    SystemCallTrace trace = new SystemCallTrace(strace, file);
    // strace names each thread it attaches to on its own output: attached once the first line is
    // there. Nothing at all and strace gone means it was refused (ptrace not allowed here).
    InputStream says = strace.getInputStream();
    if (says.read() == -1 || !strace.isAlive()) {
      trace.close();
      throw new AssertionError(
          "strace could not attach to this JVM (ptrace refused?): "
              + new String(says.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
    return trace;
  }

  /**
   * This JVM's threads whose name ({@code /proc/self/task/<tid>/comm}, at most 15 characters)
   * matches, by the thread id strace puts at the start of each line: to count one server's event
   * loop apart from the test's own threads.
   */
  public static Set<String> threadIds(Predicate<String> name) throws IOException {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      return tasks
          .filter(task -> name.test(comm(task)))
          .map(task -> task.getFileName().toString())
          .collect(Collectors.toSet());
    }
  }

  private static String comm(Path task) {
    try {
      return Files.readString(task.resolve("comm")).strip();
    } catch (IOException gone) {
      return ""; // the thread ended meanwhile
    }
  }

  /** Stops tracing, then the lines strace wrote, one per call ({@code <tid> <call>(...) = ...}). */
  public List<String> stopAndRead() throws IOException {
    close();
    return Files.readAllLines(file);
  }

  @Override
  public void close() {
    strace.destroy();
    try {
      strace.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
