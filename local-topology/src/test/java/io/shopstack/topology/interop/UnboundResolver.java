package io.shopstack.topology.interop;

import io.shopstack.common.testing.ExternalCommand;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real unbound (Debian's {@code unbound} package) as a child process, iterating from our root
 * server: a stub zone for "." points at dns-root on 127.28.0.2 port 53, and everything below it is
 * learned from our referrals and glue. Only the iterator module: our zones are not signed.
 */
final class UnboundResolver implements AutoCloseable {
  private static final Duration READY_WITHIN = Duration.ofSeconds(20);

  private final Path dir;
  private final boolean qnameMinimisation;
  private final int port;
  private Process process;

  UnboundResolver(Path dir, boolean qnameMinimisation) throws IOException {
    this.dir = dir;
    this.qnameMinimisation = qnameMinimisation;
    this.port = freeUdpAndTcpPort();
  }

  int port() {
    return port;
  }

  Path config() {
    return dir.resolve("unbound.conf");
  }

  /** What unbound printed so far; failures quote it. */
  String log() {
    try {
      return Files.readString(dir.resolve("unbound.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no unbound log: " + e + ")";
    }
  }

  UnboundResolver writeConfig() throws IOException {
    Files.createDirectories(dir);
    String conf =
        String.join(
            "\n",
            "server:",
            "  interface: 127.0.0.1@" + port,
            "  num-threads: 1",
            "  do-ip6: no",
            // Its default refuses to send queries to 127/8: every server here lives there.
            "  do-not-query-localhost: no",
            "  username: \"\"",
            "  chroot: \"\"",
            "  directory: \"" + dir + "\"",
            "  pidfile: \"" + dir.resolve("unbound.pid") + "\"",
            "  module-config: \"iterator\"",
            "  use-syslog: no",
            "  logfile: \"\"",
            "  verbosity: 1",
            "  qname-minimisation: " + (qnameMinimisation ? "yes" : "no"),
            "  qname-minimisation-strict: no",
            "",
            "remote-control:",
            "  control-enable: no",
            "",
            "stub-zone:",
            "  name: \".\"",
            "  stub-addr: 127.28.0.2@" + JourneyNameServers.DNS_PORT,
            "");
    Files.writeString(config(), conf, StandardCharsets.UTF_8);
    return this;
  }

  UnboundResolver start() throws IOException, InterruptedException {
    process =
        new ProcessBuilder("unbound", "-d", "-c", config().toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("unbound.log").toFile())
            .start();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "unbound exited with " + process.exitValue() + " before serving:\n" + log());
      }
      // Any answer means it is serving; the root's SOA also proves it reaches dns-root.
      String out =
          ExternalCommand.run(
                  Duration.ofSeconds(10),
                  "dig",
                  "@127.0.0.1",
                  "-p",
                  String.valueOf(port),
                  "+tries=1",
                  "+time=1",
                  ".",
                  "SOA")
              .output();
      if (out.contains("status: NOERROR")) {
        return this;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "unbound did not resolve \". SOA\" within " + READY_WITHIN + ":\n" + log());
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** A port free for both UDP and TCP on 127.0.0.1 (unbound listens on both). */
  private static int freeUdpAndTcpPort() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    for (int attempt = 0; attempt < 20; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(0, loopback)) {
        int candidate = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket(candidate, 1, loopback)) {
          return candidate;
        } catch (IOException taken) {
          // TCP side in use: try another.
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP on 127.0.0.1 after 20 attempts");
  }
}
