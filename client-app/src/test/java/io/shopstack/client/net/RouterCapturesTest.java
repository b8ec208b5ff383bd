package io.shopstack.client.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding one connection's SYN in a router's captures, laid out as docker/router/shop-router writes
 * them: the arriving leg is the one that saw the higher TTL, whatever the interfaces are named.
 */
class RouterCapturesTest {
  private static final InetSocketAddress PHONE = new InetSocketAddress("127.0.0.1", 53594);
  private static final InetSocketAddress VIP = new InetSocketAddress("127.0.0.1", 80);

  @TempDir Path captures;

  @Test
  void theSynOnBothLegsOfARouterIsOneCrossingInTheOrderItWasForwarded() throws Exception {
    Path router = Files.createDirectories(captures.resolve("router-north"));
    Files.writeString(
        router.resolve("legs"),
        "eth0 172.28.0.254/24 02:42:ac:1c:00:fe\neth1 172.28.1.254/24 02:42:ac:1c:01:fe\n");
    // Arrived on eth1 as the phone sent it; left on eth0 rewritten, one hop older.
    Files.write(router.resolve("eth1.pcap0"), PcapSynsTest.fixture());
    Files.write(router.resolve("eth0.pcap1"), forwarded(PcapSynsTest.fixture()));

    List<RouterCrossing> crossings = RouterCaptures.of(captures, PHONE, VIP, Duration.ofSeconds(1));
    assertThat(crossings).hasSize(1);
    RouterCrossing c = crossings.get(0);
    assertThat(c.router()).isEqualTo("router-north");
    assertThat(c.inLeg().device()).isEqualTo("eth1");
    assertThat(c.arrived().ttl()).isEqualTo(64);
    assertThat(c.outLeg().device()).isEqualTo("eth0");
    assertThat(c.left().ttl()).isEqualTo(63);
    assertThat(c.left().sourceMac()).isEqualTo("02:42:ac:1c:00:fe");
    assertThat(c.verdict()).isEqualTo("MACs rewritten, TTL 64 -> 63, IP addresses unchanged");
  }

  @Test
  void anotherConnectionsSynIsNotThisOnes() throws Exception {
    Path router = Files.createDirectories(captures.resolve("router-south"));
    Files.writeString(router.resolve("legs"), "eth0 172.28.0.253/24 02:42:ac:1c:00:fd\n");
    Files.write(router.resolve("eth0.pcap0"), PcapSynsTest.fixture());
    assertThat(RouterCaptures.absent(captures)).isFalse();
    assertThat(RouterCaptures.read(captures, new InetSocketAddress("127.0.0.1", 1), VIP)).isEmpty();
    // Only one leg saw it: reported, not completed.
    RouterCrossing c = RouterCaptures.read(captures, PHONE, VIP).get(0);
    assertThat(c.complete()).isFalse();
    assertThat(c.verdict()).isEqualTo("seen on eth0 only");
  }

  @Test
  void withoutTheVolumeThereAreNoCaptures() {
    assertThat(RouterCaptures.absent(captures.resolve("missing"))).isTrue();
    assertThat(RouterCaptures.absent(captures)).isTrue();
  }

  /** The fixture's SYNs as the router sends them on: its own MAC, the next hop's, TTL - 1. */
  private static byte[] forwarded(byte[] file) {
    int at = 24;
    while (at + 16 <= file.length) {
      int captured =
          (file[at + 8] & 0xff)
              | (file[at + 9] & 0xff) << 8
              | (file[at + 10] & 0xff) << 16
              | (file[at + 11] & 0xff) << 24;
      int frame = at + 16;
      byte[] next = {0x02, 0x42, (byte) 0xac, 0x1c, 0x00, 0x50};
      byte[] own = {0x02, 0x42, (byte) 0xac, 0x1c, 0x00, (byte) 0xfe};
      System.arraycopy(next, 0, file, frame, 6);
      System.arraycopy(own, 0, file, frame + 6, 6);
      file[frame + 14 + 8]--;
      at = frame + captured;
    }
    return file;
  }
}
