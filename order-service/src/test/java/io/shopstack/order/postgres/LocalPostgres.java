package io.shopstack.order.postgres;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shopstack.common.testing.ExternalCommand;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL on 127.0.0.1, run from the machine's Debian binaries (no Docker), created UTF-8
 * the way the stack's image must be. The server runs as the {@code postgres} user: PostgreSQL
 * refuses to run as root. Tests using it are skipped where there is no PostgreSQL installed.
 */
final class LocalPostgres implements AutoCloseable {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final int port;

  private LocalPostgres(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  static LocalPostgres start() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/local/bin/initdb")), "no PostgreSQL installed");
    Path dir = Files.createTempDirectory("order-postgres");
    ExternalCommand.run(COMMAND_TIMEOUT, "chown", "postgres", dir.toString()).assertSuccess();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    LocalPostgres postgres = new LocalPostgres(dir, port);
    postgres
        .asPostgres(
            "initdb",
            "-D",
            dir.resolve("data").toString(),
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "-A",
            "trust",
            "-U",
            "shop")
        .assertSuccess();
    postgres.startServer();
    return postgres;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=shop";
  }

  void startServer() {
    asPostgres(
            "pg_ctl",
            "-D",
            dir.resolve("data").toString(),
            "-w",
            "-l",
            dir.resolve("log").toString(),
            "-o",
            "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir,
            "start")
        .assertSuccess();
  }

  /** A fast shutdown (SIGINT), what {@code docker stop} sends the official image. */
  void stopServer() {
    asPostgres("pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-m", "fast", "stop")
        .assertSuccess();
  }

  @Override
  public void close() {
    stopServer();
  }

  private ExternalCommand.Result asPostgres(String... command) {
    List<String> line = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    line.addAll(List.of(command));
    return ExternalCommand.run(COMMAND_TIMEOUT, line);
  }
}
