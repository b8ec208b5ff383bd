package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.testing.LogLines;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our PROXY headers as HAProxy reads them: a phone on its own loopback address, the SLB, and
 * HAProxy behind it with {@code accept-proxy}, answering with the client and destination it took
 * from the header. Both versions, over IPv4 and IPv6, and from a dual-stack listener, where an IPv4
 * phone arrives on an IPv6 socket. HAProxy closes a connection whose header it cannot parse, so a
 * wrong byte shows as no answer, with HAProxy's reason in the assertion's message.
 */
class ProxyHeaderJudgedByHaproxyTest {

  @ParameterizedTest(name = "{0}: phone {1} dials {3} on a listener at {2}")
  @CsvSource({
    "v1, 127.0.0.5, 127.0.0.1, 127.0.0.1",
    "v2, 127.0.0.5, 127.0.0.1, 127.0.0.1",
    "v1, ::1, ::1, ::1",
    "v2, ::1, ::1, ::1",
    "v1, 127.0.0.5, ::, 127.0.0.1",
    "v2, 127.0.0.5, ::, 127.0.0.1",
  })
  void haproxyLearnsThePhonesAddressAndTheVipItDialled(
      String version, String phone, String listen, String dialled) throws Exception {
    try (HaproxyJudge judge = new HaproxyJudge(InetAddress.getByName("127.0.0.1"));
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(judge.hostPort())
                        .instance("slb-pp-judged")
                        .listen(HaproxyJudge.hostPort(InetAddress.getByName(listen), 0))
                        .proxyProtocol(version)
                        .build())
                .start();
        Socket client = new Socket()) {
      int vipPort = slb.listenAddresses().get(0).getPort();
      client.bind(new InetSocketAddress(InetAddress.getByName(phone), 0));
      client.connect(new InetSocketAddress(InetAddress.getByName(dialled), vipPort), 2000);
      client.setSoTimeout(5000);
      String answer = ask(client);

      assertThat(answer)
          .as("HAProxy's answer (its output: %s)", judge.output())
          .startsWith("HTTP/1.1 200")
          .contains(
              "proxy=1 src="
                  + phone
                  + " sport="
                  + client.getLocalPort()
                  + " dst="
                  + dialled
                  + " dport="
                  + vipPort
                  + " uid=");
    }
  }

  /**
   * HAProxy's {@code proxy-v2-options crc32c,unique-id}: HAProxy checks the header's checksum and
   * closes a connection whose checksum does not match, and reads the connection's unique ID, which
   * differs from one connection to the next and is the one the SLB's access log names.
   */
  @Test
  void haproxyChecksTheChecksumAndReadsTheUniqueId() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (LogLines access = LogLines.of("io.shopstack.slb.access");
        HaproxyJudge judge = new HaproxyJudge(loopback);
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(judge.hostPort())
                        .instance("slb-pp-tlvs")
                        .proxyProtocol("v2 crc32c,unique-id")
                        .accessLog(true)
                        .build())
                .start()) {
      String[] ids = new String[2];
      for (int i = 0; i < ids.length; i++) {
        try (Socket client = new Socket()) {
          client.connect(slb.listenAddresses().get(0), 2000);
          client.setSoTimeout(5000);
          String answer = ask(client);
          assertThat(answer)
              .as("HAProxy's answer (its output: %s)", judge.output())
              .startsWith("HTTP/1.1 200")
              .contains("proxy=1 src=127.0.0.1 ");
          ids[i] = answer.substring(answer.indexOf("uid=") + 4).trim();
        }
      }
      assertThat(ids[0]).matches("[0-9a-f]+-[0-9a-f]+-[0-9a-f]+");
      assertThat(ids[1]).matches("[0-9a-f]+-[0-9a-f]+-[0-9a-f]+").isNotEqualTo(ids[0]);
      await().atMost(Duration.ofSeconds(5)).until(() -> access.messages().size() == 2);
      assertThat(access.messages())
          .anySatisfy(line -> assertThat(line).endsWith(" id=" + ids[0]))
          .anySatisfy(line -> assertThat(line).endsWith(" id=" + ids[1]));
    }
  }

  private static String ask(Socket client) throws Exception {
    client
        .getOutputStream()
        .write(
            "GET /purchaseOrder HTTP/1.1\r\nHost: www.shop.example\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    return new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
  }
}
