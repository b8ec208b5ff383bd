package io.shopstack.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.SocketProtocolFamily;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sockets made without Netty's family check behave as Netty's own: they carry the family Netty's
 * constructor would have read from the kernel, and the calls that depend on it (connect, which
 * passes an IPv4 or IPv6 address structure; the traffic class, IP_TOS or IPV6_TCLASS) work on real
 * sockets on loopback.
 */
class KnownFamilySocketsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @BeforeAll
  static void nativeEpoll() {
    assertThat(Epoll.isAvailable()).as("native epoll loads here (it ships in the jar)").isTrue();
  }

  /** The two families a stream socket of the stack has. */
  static Stream<SocketProtocolFamily> inetFamilies() {
    return Stream.of(SocketProtocolFamily.INET, SocketProtocolFamily.INET6);
  }

  @Test
  void thisBuildSkipsTheCheck() {
    assertThat(KnownFamilySockets.skipsFamilyCheck())
        .as("Netty's fields as this class knows them")
        .isTrue();
  }

  @ParameterizedTest
  @MethodSource("inetFamilies")
  void aNewSocketHasItsFamilyAndConnects(SocketProtocolFamily family) throws Exception {
    LinuxSocket byNetty = LinuxSocket.newSocketStream(family);
    LinuxSocket ours = KnownFamilySockets.newStream(family);
    try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
      assertThat(KnownFamilySockets.isIpv6(ours))
          .as("the family Netty's constructor read from the kernel")
          .isEqualTo(KnownFamilySockets.isIpv6(byNetty))
          .isEqualTo(family == SocketProtocolFamily.INET6);
      // Refused at once (EINVAL, EAFNOSUPPORT) by a socket of the other family than the flag says.
      ours.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()));
      try (Socket accepted = server.accept()) {
        assertThat(accepted.getPort()).isEqualTo(ours.localAddress().getPort());
        ours.setTrafficClass(0x10);
        assertThat(ours.getTrafficClass()).isEqualTo(0x10);
      }
    } finally {
      ours.close();
      byNetty.close();
    }
  }

  @ParameterizedTest
  @MethodSource("inetFamilies")
  void anAcceptedSocketHasItsListenersFamily(SocketProtocolFamily family) throws Exception {
    LinuxSocket listener = LinuxSocket.newSocketStream(family);
    try (Socket client = new Socket()) {
      listener.bind(new InetSocketAddress(LOOPBACK, 0));
      listener.listen(1);
      client.connect(listener.localAddress(), 2000);
      int fd = acceptBlocking(listener);
      LinuxSocket ours = KnownFamilySockets.accepted(fd, listener);
      LinuxSocket byNetty = LinuxSocket.newSocket(fd); // the same descriptor, checked by Netty
      try {
        assertThat(KnownFamilySockets.isIpv6(ours)).isEqualTo(KnownFamilySockets.isIpv6(byNetty));
        assertThat(ours.remoteAddress().getPort()).isEqualTo(client.getLocalPort());
        ours.setTrafficClass(0x08);
        assertThat(byNetty.getTrafficClass()).isEqualTo(0x08);
      } finally {
        ours.close();
      }
    } finally {
      listener.close();
    }
  }

  private static int acceptBlocking(LinuxSocket listener) throws IOException, InterruptedException {
    byte[] remote = new byte[26];
    for (int tries = 0; tries < 200; tries++) {
      int fd = listener.accept(remote); // non-blocking: -1 until the handshake is queued
      if (fd >= 0) {
        return fd;
      }
      Thread.sleep(10);
    }
    throw new IOException("no connection accepted in 2 s");
  }
}
