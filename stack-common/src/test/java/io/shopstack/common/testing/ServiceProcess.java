package io.shopstack.common.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's shipped {@code main} in a JVM of its own, started the way operators and Docker start
 * it (arguments and SHOP_* variables), for what only a real process shows: {@code kill -9} in the
 * middle of writes, signals, its descriptor limit, its heap seen by jstat. Its output goes to a log
 * file, named in every failure, and can be read back line by line.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;

  private ServiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** A process that will run {@code main} on this JVM's class path. */
  public static Builder of(Class<?> main) {
    return new Builder(main);
  }

  /** How the process is started; {@link #start()} starts it. */
  public static final class Builder {
    private final Class<?> main;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> arguments = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path log;

    private Builder(Class<?> main) {
      this.main = main;
    }

    public Builder jvmOptions(String... options) {
      jvmOptions.addAll(List.of(options));
      return this;
    }

    public Builder arguments(String... more) {
      arguments.addAll(List.of(more));
      return this;
    }

    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** Where its output goes (appended); without one, a temporary file. */
    public Builder log(Path file) {
      log = file;
      return this;
    }

    public ServiceProcess start() {
      List<String> command = new ArrayList<>();
      // With the signals at their defaults, as a service manager starts a daemon: a build run under
      // nohup would otherwise pass SIGHUP on ignored, and the JVM then cannot catch it.
      command.add("/usr/bin/env");
      command.add("--default-signal");
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(main.getName());
      command.addAll(arguments);
      try {
        Path output = log != null ? log : Files.createTempFile(main.getSimpleName() + "-", ".log");
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(environment);
        return new ServiceProcess(builder.start(), output);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + main.getName(), e);
      }
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** Every complete or partial line it has written so far. */
  public List<String> output() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns once {@code health} answers 200; fails at once, naming the log, if the process exits
   * first.
   */
  public ServiceProcess awaitHealthy(URI health) {
    HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .failFast("the process exited; see " + log, () -> !process.isAlive())
        .until(
            () -> HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    return this;
  }

  /**
   * The first group of the first output line that {@code line} finds, once it is written: e.g. the
   * port of a start-up line.
   */
  public String awaitLine(Pattern line) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .failFast("the process exited; see " + log, () -> !process.isAlive())
        .until(
            () ->
                output().stream()
                    .map(line::matcher)
                    .filter(Matcher::find)
                    .map(m -> m.group(1))
                    .findFirst()
                    .orElse(null),
            found -> found != null);
  }

  /**
   * The exit status of a process expected to stop by itself (a refused start); fails, naming the
   * log, if it is still running after a minute.
   */
  public int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("still running after 60 s; see " + log);
    }
    return process.exitValue();
  }

  /** SIGKILL, what {@code kill -9} sends: no shutdown hook, no flush, nothing the JVM can do. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM, a graceful stop. A service still running a minute later is killed and the test fails:
   * operators and Docker stop services this way, and one that ignores it is a bug.
   */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      kill();
      throw new AssertionError("still running 60 s after SIGTERM, killed; see " + log);
    }
  }
}
