package io.shopstack.order.postgres;

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
 * refuses to run as root. Where PostgreSQL is missing the tests fail and say so: `./shop test`
 * installs it (Debian's {@code postgresql}), and a skipped test would pass by running nothing.
 */
final class LocalPostgres implements AutoCloseable {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final int port;

  private LocalPostgres(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Debian keeps the server's programs out of the PATH, one folder a major version. */
  private static final Path BIN = serverPrograms();

  static LocalPostgres start() throws Exception {
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
            // pg_stat_statements: tests count the statements an order costs.
            "-c listen_addresses=127.0.0.1 -p "
                + port
                + " -k "
                + dir
                + " -c shared_preload_libraries=pg_stat_statements",
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

  private ExternalCommand.Result asPostgres(String program, String... arguments) {
    List<String> line =
        new ArrayList<>(
            List.of("runuser", "-u", "postgres", "--", BIN.resolve(program).toString()));
    line.addAll(List.of(arguments));
    return ExternalCommand.run(COMMAND_TIMEOUT, line);
  }

  private static Path serverPrograms() {
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(version -> version.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
          .max(Path::compareTo)
          .orElseThrow();
    } catch (java.io.IOException | java.util.NoSuchElementException e) {
      throw new AssertionError(
          "no PostgreSQL server under /usr/lib/postgresql: run ./shop test, which installs"
              + " Debian's postgresql",
          e);
    }
  }
}
