package io.shopstack.common.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.shopstack.common.testing.BusyLoops;
import io.shopstack.common.testing.FirstTurnCount;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clients that wait in the accept queue together are taken in one turn of the listener's event
 * loop. The loop is held busy while the clients connect (the kernel completes their handshakes and
 * queues them), then let go; a task queued by the first accepted client runs once that turn's
 * reading is over and counts how many the turn took.
 */
class AcceptBatchTest {
  private static final int CLIENTS = 8;

  @ParameterizedTest
  @EnumSource(Transport.class)
  void clientsWaitingTogetherAreTakenInOneTurn(Transport transport) throws Exception {
    assertThat(takenInTheFirstTurn(transport, AcceptBatch.allocator())).isEqualTo(CLIENTS);
  }

  /**
   * Why {@link AcceptBatch} exists: Netty 4.2's epoll listener takes one client per turn by default
   * (its NIO one takes them all). If this fails after a Netty upgrade, AcceptBatch may go.
   */
  @Test
  void nettysDefaultEpollListenerTakesOneClientPerTurn() throws Exception {
    assertThat(takenInTheFirstTurn(Transport.EPOLL, null)).isEqualTo(1);
    assertThat(takenInTheFirstTurn(Transport.NIO, null)).isEqualTo(CLIENTS);
  }

  private static int takenInTheFirstTurn(Transport transport, RecvByteBufAllocator allocator)
      throws Exception {
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
    List<Socket> clients = new ArrayList<>();
    try {
      FirstTurnCount count = new FirstTurnCount();
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(loop)
              .channel(transport.serverChannel())
              .handler(count)
              .childHandler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                      ctx.close();
                    }

                    @Override
                    public boolean isSharable() {
                      return true;
                    }
                  });
      if (allocator != null) {
        bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, allocator);
      }
      Channel listener = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      InetSocketAddress address = (InetSocketAddress) listener.localAddress();

      try (BusyLoops held = BusyLoops.hold(List.of(listener.eventLoop()))) {
        for (int i = 0; i < CLIENTS; i++) {
          Socket client = new Socket();
          clients.add(client);
          client.connect(address, 5000); // done by the kernel: the loop is busy
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> count.firstTurn() > 0);
      int taken = count.firstTurn();
      listener.close().sync();
      return taken;
    } finally {
      for (Socket client : clients) {
        client.close();
      }
      loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }
  }
}
