package io.shopstack.client.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The SYNs in a savefile tcpdump itself wrote (4.99.3, the router image's, with the router's
 * options: {@code -s 96 -U -C 1 -W 2 -w}, on lo: two connects to 127.0.0.1:80, one to :8080 that
 * the filter left out). {@code tcpdump -r -e -n -v} printed: 53594 and 53602 > 80, ttl 64.
 */
class PcapSynsTest {

  @Test
  void readsEverySynTcpdumpWroteWithItsLinkAndIpFacts() throws Exception {
    assertThat(PcapSyns.read(fixture()))
        .containsExactly(
            new CapturedSyn(
                "00:00:00:00:00:00", "00:00:00:00:00:00", 64, "127.0.0.1", 53594, "127.0.0.1", 80),
            new CapturedSyn(
                "00:00:00:00:00:00", "00:00:00:00:00:00", 64, "127.0.0.1", 53602, "127.0.0.1", 80));
  }

  @Test
  void macsAndTtlAreReadFromTheirPlaceInTheFrame() throws Exception {
    byte[] file = fixture();
    int frame = 24 + 16; // file header, first record header
    for (int i = 0; i < 6; i++) {
      file[frame + i] = (byte) (0x10 + i); // destination MAC
      file[frame + 6 + i] = (byte) (0xa0 + i); // source MAC
    }
    file[frame + 14 + 8] = 63; // IPv4 TTL
    assertThat(PcapSyns.read(file).get(0))
        .isEqualTo(
            new CapturedSyn(
                "a0:a1:a2:a3:a4:a5", "10:11:12:13:14:15", 63, "127.0.0.1", 53594, "127.0.0.1", 80));
  }

  @Test
  void aRecordTcpdumpIsStillWritingIsNotThereYet() throws Exception {
    byte[] file = fixture();
    assertThat(PcapSyns.read(Arrays.copyOf(file, file.length - 10))).hasSize(1);
    assertThat(PcapSyns.read(Arrays.copyOf(file, 24))).isEmpty();
    assertThat(PcapSyns.read(Arrays.copyOf(file, 10))).isEmpty();
  }

  @Test
  void aFileThatIsNoPcapHoldsNoSyn() {
    assertThat(PcapSyns.read("172.28.0.254/24 eth0 not a capture".getBytes())).isEmpty();
  }

  static byte[] fixture() throws Exception {
    try (InputStream in = PcapSynsTest.class.getResourceAsStream("/net/tcpdump-lo-syns.pcap")) {
      return in.readAllBytes();
    }
  }
}
