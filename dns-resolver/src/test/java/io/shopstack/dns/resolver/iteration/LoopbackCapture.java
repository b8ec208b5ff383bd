package io.shopstack.dns.resolver.iteration;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tcpdump on the loopback interface, the way an operator checks what a resolver really sends: the
 * kernel's copy of each packet, written to a pcap file that the test reads back. Nothing here sees
 * the resolver's own objects. tcpdump needs root (CAP_NET_RAW); without it, or without tcpdump,
 * {@link #start} fails the test with tcpdump's own words: a test that proves what goes on the wire
 * must not pass by not looking.
 */
final class LoopbackCapture implements AutoCloseable {
  /** One UDP datagram as captured: addresses, ports and payload. */
  record Datagram(
      InetAddress source,
      int sourcePort,
      InetAddress destination,
      int destinationPort,
      byte[] payload) {}

  private static final int LINKTYPE_ETHERNET = 1;
  private static final int LINKTYPE_LINUX_SLL = 113;
  private static final int IPV4 = 0x0800;
  private static final int UDP = 17;

  private final Process tcpdump;
  private final Path file;
  private final Path errors;

  private LoopbackCapture(Process tcpdump, Path file, Path errors) {
    this.tcpdump = tcpdump;
    this.file = file;
    this.errors = errors;
  }

  /**
   * Starts capturing packets that match {@code filter} (tcpdump's expression language) and returns
   * once tcpdump says it is listening, so that nothing sent afterwards is missed.
   */
  static LoopbackCapture start(Path directory, String filter) throws IOException {
    Path file = directory.resolve("capture.pcap");
    Path errors = directory.resolve("tcpdump.err");
    Process tcpdump;
    try {
      tcpdump =
          new ProcessBuilder(
                  "tcpdump",
                  "-i",
                  "lo",
                  "-n",
                  "-U",
                  "--immediate-mode",
                  "-s",
                  "0",
                  "-w",
                  file.toString(),
                  filter)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(errors.toFile())
              .start();
    } catch (IOException missing) {
      throw new AssertionError(
          "tcpdump is needed to check what the resolver sends (docker/setup.sh installs it)",
          missing);
    }
    LoopbackCapture capture = new LoopbackCapture(tcpdump, file, errors);
    try {
      await("tcpdump listening on lo")
          .atMost(Duration.ofSeconds(20))
          .failFast("tcpdump ended", () -> !tcpdump.isAlive())
          .until(() -> capture.said().contains("listening on"));
    } catch (RuntimeException | Error notListening) {
      capture.close();
      throw new AssertionError(
          "tcpdump did not start capturing (it needs root): " + capture.said(), notListening);
    }
    return capture;
  }

  private String said() throws IOException {
    return Files.exists(errors) ? Files.readString(errors, StandardCharsets.UTF_8) : "";
  }

  /** The IPv4 UDP datagrams captured so far (the last record may still be half-written). */
  List<Datagram> udpDatagrams() throws IOException {
    byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    List<Datagram> found = new ArrayList<>();
    if (bytes.length < 24) {
      return found;
    }
    ByteBuffer pcap = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int magic = pcap.getInt(0);
    if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
      pcap.order(ByteOrder.BIG_ENDIAN);
    }
    int linkType = pcap.getInt(20);
    int linkHeader =
        switch (linkType) {
          case LINKTYPE_ETHERNET -> 14;
          case LINKTYPE_LINUX_SLL -> 16;
          default -> throw new AssertionError("unexpected pcap link type " + linkType);
        };
    int at = 24;
    while (at + 16 <= bytes.length) {
      int captured = pcap.getInt(at + 8);
      int start = at + 16;
      if (start + captured > bytes.length) {
        break; // still being written
      }
      Datagram datagram = udp(bytes, start + linkHeader, start + captured);
      if (datagram != null) {
        found.add(datagram);
      }
      at = start + captured;
    }
    return found;
  }

  private static Datagram udp(byte[] bytes, int ip, int end) throws UnknownHostException {
    ByteBuffer packet = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    int etherType = packet.getShort(ip - 2) & 0xffff; // last field of both link headers
    if (etherType != IPV4 || ip + 20 > end) {
      return null;
    }
    int headerLength = (bytes[ip] & 0x0f) * 4;
    if ((bytes[ip + 9] & 0xff) != UDP) {
      return null;
    }
    InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(bytes, ip + 12, ip + 16));
    InetAddress destination = InetAddress.getByAddress(Arrays.copyOfRange(bytes, ip + 16, ip + 20));
    int udp = ip + headerLength;
    int length = packet.getShort(udp + 4) & 0xffff;
    return new Datagram(
        source,
        packet.getShort(udp) & 0xffff,
        destination,
        packet.getShort(udp + 2) & 0xffff,
        Arrays.copyOfRange(bytes, udp + 8, Math.min(end, udp + length)));
  }

  /** Stops tcpdump (it writes out what it holds on SIGTERM) and waits for it. */
  @Override
  public void close() {
    tcpdump.destroy();
    try {
      if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
        tcpdump.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      tcpdump.destroyForcibly();
    }
  }
}
