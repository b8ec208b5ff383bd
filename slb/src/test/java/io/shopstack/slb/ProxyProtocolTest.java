package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The PROXY header as a backend receives it: a real client on its own loopback address, the SLB,
 * and a backend that parses the header itself and says what it learnt.
 */
class ProxyProtocolTest {
  private static final InetAddress PHONE = loopback("127.0.0.5");

  private static InetAddress loopback(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String[] exchange(SlbConfig config) throws Exception {
    try (SlbServer slb = new SlbServer(config).start();
        Socket phone = new Socket()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      phone.bind(new InetSocketAddress(PHONE, 0));
      phone.connect(vip, 1000);
      phone.setSoTimeout(5000);
      phone.getOutputStream().write("POST /purchaseOrder\n".getBytes(StandardCharsets.UTF_8));
      phone.shutdownOutput();
      var in =
          new BufferedReader(new InputStreamReader(phone.getInputStream(), StandardCharsets.UTF_8));
      return new String[] {
        in.readLine(), in.readLine(), phone.getLocalPort() + "", vip.getPort() + "", in.readLine()
      };
    }
  }

  private static SlbConfig config(String backend, String proxyProtocol) {
    return SlbConfigs.inFrontOf(backend).instance("slb-pp").proxyProtocol(proxyProtocol).build();
  }

  @Test
  void v2TellsTheBackendThePhonesAddressAndTheVipItDialled() throws Exception {
    try (var backend = TcpBackends.proxyProtocolReader()) {
      String[] seen = exchange(config(backend.hostPort(), "v2"));

      assertThat(seen[0]).isEqualTo("v2 TCP4 127.0.0.5:" + seen[2] + " -> 127.0.0.1:" + seen[3]);
      assertThat(seen[1])
          .as("the client's bytes follow, untouched")
          .isEqualTo("POST /purchaseOrder");
      assertThat(seen[4]).as("then the end of the stream").isNull();
    }
  }

  @Test
  void v1SaysTheSameInText() throws Exception {
    try (var backend = TcpBackends.proxyProtocolReader()) {
      String[] seen = exchange(config(backend.hostPort(), "V1"));

      assertThat(seen[0]).isEqualTo("v1 TCP4 127.0.0.5:" + seen[2] + " -> 127.0.0.1:" + seen[3]);
      assertThat(seen[1]).isEqualTo("POST /purchaseOrder");
    }
  }

  @Test
  void offByDefaultTheBackendGetsOnlyTheClientsBytes() throws Exception {
    SlbConfig defaults = config("127.0.0.1:1", null);
    assertThat(defaults.proxyProtocol()).isEqualTo("none");
    try (var backend = TcpBackends.proxyProtocolReader()) {
      SlbConfig config = SlbConfigs.inFrontOf(backend.hostPort()).instance("slb-pp").build();
      String[] seen = exchange(config);

      // The reader took the first 12 bytes as a would-be signature: they were the request's.
      assertThat(seen[0]).isEqualTo("no PROXY header: POST /purcha");
    }
  }
}
