package io.shopstack.slb;

import io.shopstack.common.testing.ServiceProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An SLB run as operators run it, {@code SlbMain} in a JVM of its own with a configuration file:
 * for what is per process (its descriptor limit, the signals it is sent). Closing it sends SIGTERM
 * and waits, then kills it.
 */
final class SlbProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)\\]");

  private final ServiceProcess process;

  SlbProcess(Path config, String... moreArguments) {
    List<String> arguments = new java.util.ArrayList<>(List.of("--config=" + config));
    arguments.addAll(List.of(moreArguments));
    process = ServiceProcess.of(SlbMain.class).arguments(arguments.toArray(String[]::new)).start();
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Every line it has written so far. */
  List<String> output() {
    return process.output();
  }

  /** The port of its (one, 127.0.0.1) listen address, once its start-up line says it. */
  int awaitPort() {
    return Integer.parseInt(process.awaitLine(LISTENING));
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
