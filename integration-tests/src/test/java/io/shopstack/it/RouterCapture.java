package io.shopstack.it;

import static org.awaitility.Awaitility.await;

import io.shopstack.common.testing.ExternalCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tcpdump on one leg of a region's router, inside its container: the TCP SYNs that cross that leg
 * towards one address and port, each with the Ethernet addresses and the IP TTL it carried there.
 * Two captures of the same connection, one per leg, show what routing does to a packet: new MACs,
 * TTL one less, the same IP addresses.
 */
final class RouterCapture implements AutoCloseable {
  private static final Duration COMMAND = Duration.ofSeconds(30);

  // tcpdump -e -n -v prints the link layer and the IP header on one line, TCP on the next.
  private static final Pattern SYN =
      Pattern.compile(
          "([0-9a-f:]{17}) > ([0-9a-f:]{17}), ethertype IPv4.*?ttl (\\d+),.*?\\n\\s+"
              + "(\\d+\\.\\d+\\.\\d+\\.\\d+)\\.(\\d+) > (\\d+\\.\\d+\\.\\d+\\.\\d+)\\.(\\d+): Flags \\[S\\]");

  /** One SYN as it crossed the leg. */
  record Syn(
      String sourceMac,
      String destinationMac,
      int ttl,
      String source,
      int sourcePort,
      String destination,
      int destinationPort) {}

  private final String container;
  private final String leg;
  private final String file;

  /** The router's interface that holds {@code address}, and that interface's MAC. */
  record Leg(String name, String mac) {}

  static Leg legOf(String container, String address) {
    String addresses =
        exec(container, "ip", "-o", "-4", "address", "show").assertSuccess().output();
    Matcher m =
        Pattern.compile("\\d+: (\\S+?)(@\\S+)?\\s+inet " + Pattern.quote(address) + "/")
            .matcher(addresses);
    if (!m.find()) {
      throw new AssertionError(container + " has no interface with " + address + ":\n" + addresses);
    }
    String name = m.group(1);
    String mac = exec(container, "cat", "/sys/class/net/" + name + "/address").output().strip();
    return new Leg(name, mac);
  }

  /**
   * Starts capturing SYNs to {@code address}:{@code port} on {@code leg}; returns once it listens.
   */
  static RouterCapture start(String container, Leg leg, String address, int port) {
    RouterCapture capture = new RouterCapture(container, leg.name());
    String filter =
        "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and dst host %s and dst port %d"
            .formatted(address, port);
    ExternalCommand.run(
            COMMAND,
            "docker",
            "exec",
            "-d",
            container,
            "sh",
            "-c",
            // --immediate-mode: else libpcap hands packets over a block at a time, up to a second
            // late, and a capture stopped right after the journey had written none of them.
            "exec tcpdump -i %s -n -U --immediate-mode -w %s '%s' 2>%s.log"
                .formatted(leg.name(), capture.file, filter, capture.file))
        .assertSuccess();
    await()
        .atMost(COMMAND)
        .until(
            () -> exec(container, "cat", capture.file + ".log").output().contains("listening on"));
    return capture;
  }

  private RouterCapture(String container, String leg) {
    this.container = container;
    this.leg = leg;
    this.file = "/tmp/capture-" + leg + ".pcap";
  }

  /** Stops the capture and reads back every SYN it holds. */
  List<Syn> syns() {
    close();
    String dump = exec(container, "tcpdump", "-r", file, "-e", "-n", "-v").assertSuccess().output();
    List<Syn> syns = new ArrayList<>();
    Matcher m = SYN.matcher(dump);
    while (m.find()) {
      syns.add(
          new Syn(
              m.group(1),
              m.group(2),
              Integer.parseInt(m.group(3)),
              m.group(4),
              Integer.parseInt(m.group(5)),
              m.group(6),
              Integer.parseInt(m.group(7))));
    }
    return syns;
  }

  @Override
  public void close() {
    // SIGINT makes tcpdump flush and close the file; the wait keeps the read after it.
    exec(container, "pkill", "-INT", "-f", "tcpdump -i " + leg + " ");
    await()
        .atMost(COMMAND)
        .until(() -> exec(container, "pgrep", "-f", "tcpdump -i " + leg + " ").exitCode() != 0);
  }

  private static ExternalCommand.Result exec(String container, String... command) {
    List<String> cmd = new ArrayList<>(List.of("docker", "exec", container));
    cmd.addAll(List.of(command));
    return ExternalCommand.run(COMMAND, cmd);
  }
}
