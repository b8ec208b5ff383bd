package io.shopstack.slb;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SLB run as operators run it, {@code SlbMain} in a JVM of its own with a configuration file:
 * for what is per process (its descriptor limit, the signals it is sent). Its log lines are
 * collected; closing it sends SIGTERM and waits, then kills it.
 */
final class SlbProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final Thread reader;

  SlbProcess(Path config) throws IOException {
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SlbMain.class.getName(),
                "--config=" + config)
            .redirectErrorStream(true)
            .start();
    reader = new Thread(this::collect, "slb-process-output");
    reader.start();
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Every line it has written so far. */
  List<String> output() {
    return output;
  }

  /** The port of its (one, 127.0.0.1) listen address, once its start-up line says it. */
  int awaitPort() {
    Pattern listening = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)\\]");
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                output.stream()
                    .map(listening::matcher)
                    .filter(Matcher::find)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .findFirst()
                    .orElse(0),
            port -> port > 0);
  }

  private void collect() {
    try (var in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        output.add(line);
      }
    } catch (IOException ended) {
      // the process is gone
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    reader.join(5000);
  }
}
