package io.shopstack.slb.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our backend channel against the one it replaces, Netty's {@code EpollSocketChannel}: the same
 * socket settings when made, and what is set reaches the socket. (The data path itself runs on it
 * in every slb suite on epoll: DataPathTest, SpliceTest's peers, KillUnderLoadTest and the rest.)
 */
class BackendEpollChannelTest {
  private EpollSocketChannel netty;
  private BackendEpollChannel ours;

  @BeforeEach
  void make() {
    assertThat(Epoll.isAvailable()).as("native epoll loads here (it ships in the jar)").isTrue();
    netty = new EpollSocketChannel(SocketProtocolFamily.INET);
    ours = new BackendEpollChannel(SocketProtocolFamily.INET);
  }

  @AfterEach
  void close() {
    for (Channel channel : new Channel[] {netty, ours}) {
      if (channel != null) {
        channel.unsafe().close(channel.unsafe().voidPromise()); // never registered
      }
    }
  }

  private void same(String what, Function<SocketChannelConfig, Object> setting) {
    assertThat(setting.apply(ours.config())).as(what).isEqualTo(setting.apply(netty.config()));
  }

  @Test
  void startsWithNettysSocketSettings() {
    same("TCP_NODELAY", SocketChannelConfig::isTcpNoDelay);
    same("SO_KEEPALIVE", SocketChannelConfig::isKeepAlive);
    same("SO_SNDBUF", SocketChannelConfig::getSendBufferSize);
    same("SO_RCVBUF", SocketChannelConfig::getReceiveBufferSize);
    same("SO_LINGER", SocketChannelConfig::getSoLinger);
    same("IP_TOS", SocketChannelConfig::getTrafficClass);
    same("SO_REUSEADDR", SocketChannelConfig::isReuseAddress);
    same("half-closure", SocketChannelConfig::isAllowHalfClosure);
    same("auto-read", SocketChannelConfig::isAutoRead);
    same("connect timeout", SocketChannelConfig::getConnectTimeoutMillis);
    same("write spin count", SocketChannelConfig::getWriteSpinCount);
    same("allocator", config -> config.getAllocator().getClass());
    same("receive allocator", config -> config.getRecvByteBufAllocator().getClass());
    same("write water mark", config -> config.getWriteBufferWaterMark().toString());
    assertThat(ours.isOpen()).isTrue();
    assertThat(ours.isActive()).isFalse();
    assertThat(ours.metadata().hasDisconnect()).isEqualTo(netty.metadata().hasDisconnect());
  }

  @Test
  void settingsReachTheSocket() {
    for (SocketChannelConfig config : new SocketChannelConfig[] {netty.config(), ours.config()}) {
      config
          .setTcpNoDelay(false)
          .setKeepAlive(true)
          .setSendBufferSize(64 * 1024)
          .setReceiveBufferSize(32 * 1024)
          .setTrafficClass(0x10)
          .setReuseAddress(true)
          .setAllowHalfClosure(true)
          .setAutoRead(false)
          .setConnectTimeoutMillis(1234);
    }
    startsWithNettysSocketSettings();
  }

  @Test
  void lingeringIsRefusedRatherThanIgnored() {
    // Netty's channel closes a lingering socket on another thread; ours would block the loop.
    assertThatThrownBy(() -> ours.config().setSoLinger(5))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  /**
   * On loopback the kernel completes the handshake inside {@code connect}, though the call answers
   * "in progress": the channel knows it at once, active and its connect done when the call returns,
   * with no wait for writability. Connected without Netty's getpeername, it still knows both
   * addresses: the backend's as it was asked to connect there, the local one from the kernel (the
   * backend's accepted socket agrees). A refused connect is not taken for a completed one: it fails
   * afterwards, naming the backend, as Netty's own does.
   */
  @Test
  void connectsWithinTheCallKnowsBothAddressesAndNamesARefusingBackend() throws Exception {
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket backend = new ServerSocket(0, 1, loopback)) {
      InetSocketAddress target = new InetSocketAddress(loopback, backend.getLocalPort());
      loop.register(ours).sync();
      boolean doneInCall = loop.submit(() -> ours.connect(target).isSuccess()).get();
      assertThat(doneInCall).as("connected when connect() returned").isTrue();
      try (Socket accepted = backend.accept()) {
        assertThat(ours.remoteAddress()).isEqualTo(target);
        assertThat(ours.localAddress().getPort()).isEqualTo(accepted.getPort());
        assertThat(ours.isActive()).isTrue();
      }
      BackendEpollChannel refused = new BackendEpollChannel(SocketProtocolFamily.INET);
      InetSocketAddress closedPort;
      try (ServerSocket gone = new ServerSocket(0, 1, loopback)) {
        closedPort = new InetSocketAddress(loopback, gone.getLocalPort());
      }
      loop.register(refused).sync();
      ChannelFuture attempt = loop.submit(() -> refused.connect(closedPort)).get();
      attempt.await();
      assertThat(refused.isActive()).isFalse();
      assertThat(attempt.cause())
          .isInstanceOf(ConnectException.class)
          .hasMessageContaining(closedPort.toString());
      refused.close().sync(); // the connector's part, as Bootstrap's CLOSE_ON_FAILURE
      ours.close().sync();
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
