package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.server.Transport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same splice on native epoll (SO_REUSEPORT, one socket per core) and on the NIO fallback. */
class TransportTest {
  @ParameterizedTest
  @ValueSource(strings = {"auto", "nio"})
  void splicesOnEitherTransport(String transport) throws Exception {
    try (var echo = TcpBackends.echo();
        SlbServer slb =
            new SlbServer(
                    SlbConfigs.inFrontOf(echo.hostPort())
                        .instance("slb-" + transport)
                        .transport(transport)
                        .build())
                .start()) {
      Transport expected = transport.equals("nio") ? Transport.NIO : Transport.nativeIfAvailable();
      assertThat(slb.transport()).isEqualTo(expected);
      assertThat(slb.listenAddresses()).as("sibling sockets share the one address").hasSize(1);

      InetSocketAddress vip = slb.listenAddresses().get(0);
      for (int i = 0; i < 8; i++) { // enough for the kernel to use more than one socket
        try (Socket client = new Socket(vip.getAddress(), vip.getPort())) {
          client.setSoTimeout(5000);
          client.getOutputStream().write(("hello " + i + "\n").getBytes(StandardCharsets.UTF_8));
          var in =
              new BufferedReader(
                  new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
          assertThat(in.readLine()).isEqualTo("hello " + i);
        }
      }
    }
  }

  @Test
  void epollIsTheDefaultWhereItLoads() throws Exception {
    try (var echo = TcpBackends.echo();
        SlbServer slb = new SlbServer(SlbConfigs.inFrontOf(echo.hostPort()).build()).start()) {
      assertThat(slb.transport()).isEqualTo(Transport.nativeIfAvailable());
    }
  }

  @Test
  void nativeEpollLoadsOnThisLinuxMachine() {
    // The native library ships with the slb; if it stopped loading, the fallback would hide it.
    assertThat(Transport.unavailabilityCause()).isNull();
  }
}
