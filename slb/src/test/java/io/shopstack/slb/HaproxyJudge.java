package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HAProxy (the Debian package) as a backend that requires a PROXY header ({@code accept-proxy}) and
 * answers each HTTP request with what it learnt from it: whether a header came, the client and
 * destination it named, and its unique ID (a v2 TLV; a header whose CRC32c TLV does not match is
 * refused). A parser we did not write, and the one the protocol's own document comes from, so a
 * header it takes is one every receiver should take. Listens on the address it is given, an
 * ephemeral port; its output (why it refused a header) goes into the failing assertion.
 */
final class HaproxyJudge implements AutoCloseable {
  static final String HAPROXY = "/usr/sbin/haproxy";

  private final InetSocketAddress address;
  private final Path work;
  private final Process haproxy;

  HaproxyJudge(InetAddress on) throws Exception {
    assertThat(new File(HAPROXY).canExecute())
        .as("haproxy is installed (docker/setup.sh installs it)")
        .isTrue();
    try (ServerSocket probe = new ServerSocket(0, 1, on)) {
      address = new InetSocketAddress(on, probe.getLocalPort());
    }
    work = Files.createTempDirectory("haproxy-judge");
    Path config = work.resolve("haproxy.cfg");
    Files.writeString(
        config,
        String.join(
            "\n",
            List.of(
                "global",
                "  maxconn 100",
                "defaults",
                "  mode http",
                "  timeout connect 2s",
                "  timeout client 5s",
                "  timeout server 5s",
                "frontend judge",
                "  bind " + hostPort() + " accept-proxy",
                // What the header said; %[src] and %[dst] are the header's once accept-proxy took
                // it.
                "  http-request return status 200 content-type text/plain lf-string"
                    + " \"proxy=%[fc_rcvd_proxy] src=%[src] sport=%[src_port]"
                    + " dst=%[dst] dport=%[dst_port] uid=%[fc_pp_unique_id]\\n\"",
                "")));
    haproxy =
        new ProcessBuilder(HAPROXY, "-db", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("haproxy.out").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(haproxy.isAlive()).as("haproxy runs: %s", output()).isTrue();
              try (Socket probe = new Socket()) {
                probe.connect(address, 500);
                return true;
              }
            });
  }

  /** {@code host:port}, as an SLB backend is written. */
  String hostPort() {
    return hostPort(address.getAddress(), address.getPort());
  }

  /** {@code host:port} as HAProxy's {@code bind} and the SLB's configuration write it. */
  static String hostPort(InetAddress host, int port) {
    String literal = host.getHostAddress();
    return (literal.contains(":") ? "[" + literal + "]" : literal) + ":" + port;
  }

  /** What HAProxy wrote: its warnings, and the reason it refused a header. */
  String output() throws Exception {
    return Files.readString(work.resolve("haproxy.out"));
  }

  @Override
  public void close() throws Exception {
    haproxy.destroy();
    haproxy.waitFor();
    for (File file : work.toFile().listFiles()) {
      Files.delete(file.toPath());
    }
    Files.delete(work);
  }
}
