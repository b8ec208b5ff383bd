package io.shopstack.common.server;

import static io.shopstack.common.testing.ServerLeftovers.assertNothingLeftOpen;
import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.shopstack.common.admin.AdminServer;
import io.shopstack.common.admin.Health;
import io.shopstack.common.admin.Metrics;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Start and stop as a server's operator sees them: ports, threads, and clients in flight. */
class ServerLifecycleTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** A listener that answers every connection with one line, then keeps it open. */
  private static ServerBootstrap greeter(ServerLifecycle server, EventLoopGroup group) {
    return server
        .serverBootstrap(group, group)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(
                        new ChannelInboundHandlerAdapter() {
                          @Override
                          public void channelActive(ChannelHandlerContext ctx) {
                            ctx.writeAndFlush(
                                Unpooled.copiedBuffer("hello\n", StandardCharsets.US_ASCII));
                          }
                        });
              }
            });
  }

  @Test
  void anAdminPortInUseFailsTheStartAndClosesWhatWasAlreadyOpen() throws Exception {
    InetSocketAddress first = new InetSocketAddress(LOOPBACK, freePort());
    AtomicBoolean watcherClosed = new AtomicBoolean();
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      InetSocketAddress adminAddress = (InetSocketAddress) taken.getLocalSocketAddress();
      ServerLifecycle server = new ServerLifecycle("lifecycle-taken", Duration.ofSeconds(2));

      assertThatThrownBy(
              () ->
                  server.start(
                      s -> {
                        s.track(() -> watcherClosed.set(true));
                        s.bind("listener", greeter(s, s.eventLoops("io", 1)), first);
                        new AdminServer(
                                "lifecycle-taken",
                                adminAddress,
                                Metrics.registry("lifecycle-taken"),
                                Health::healthy)
                            .start(s);
                      }))
          .isInstanceOf(ServerStartException.class)
          .hasMessage(
              "lifecycle-taken: cannot bind admin endpoint on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": Address already in use")
          .hasCauseInstanceOf(BindException.class);

      assertThat(watcherClosed).isTrue();
      assertNothingLeftOpen("lifecycle-taken", first);
    }
  }

  @Test
  void aFailingStepIsRethrownAsItIsAfterEverythingOpenIsClosed() {
    InetSocketAddress first = new InetSocketAddress(LOOPBACK, freePort());
    IllegalStateException broken = new IllegalStateException("zone file unreadable");
    ServerLifecycle server = new ServerLifecycle("lifecycle-broken");

    assertThatThrownBy(
            () ->
                server.start(
                    s -> {
                      s.bind("listener", greeter(s, s.eventLoops("io", 1)), first);
                      throw broken;
                    }))
        .isSameAs(broken);

    assertNothingLeftOpen("lifecycle-broken", first);
  }

  @Test
  void closeStopsAcceptingFirstThenEndsTheLoopsThenTheOtherResources() throws Exception {
    InetSocketAddress address = new InetSocketAddress(LOOPBACK, freePort());
    ServerLifecycle server = new ServerLifecycle("lifecycle-order", Duration.ofSeconds(2));
    List<String> seenAtResourceClose = new ArrayList<>();
    Channel[] listener = new Channel[1];
    EventLoopGroup[] group = new EventLoopGroup[1];
    server.start(
        s -> {
          group[0] = s.eventLoops("io", 1);
          listener[0] = s.bind("listener", greeter(s, group[0]), address);
          s.track(
              () -> {
                seenAtResourceClose.add("listener open: " + listener[0].isOpen());
                seenAtResourceClose.add("loops ended: " + group[0].isTerminated());
              });
        });
    try (Socket client = new Socket(LOOPBACK, address.getPort())) {
      assertThat(client.getInputStream().read()).isEqualTo('h');
    }

    server.close();
    server.close();

    assertThat(seenAtResourceClose).containsExactly("listener open: false", "loops ended: true");
    assertNothingLeftOpen("lifecycle-order", address);
  }

  @Test
  void closeEndsAConnectionStillBeingServedAtTheDeadline() throws Exception {
    InetSocketAddress address = new InetSocketAddress(LOOPBACK, freePort());
    ServerLifecycle server = new ServerLifecycle("lifecycle-inflight", Duration.ofSeconds(1));
    CompletableFuture<Channel> served = new CompletableFuture<>();
    server.start(
        s -> {
          EventLoopGroup group = s.eventLoops("io", 1);
          s.bind(
              "listener",
              s.serverBootstrap(group, group)
                  .childHandler(
                      new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                          served.complete(ctx.channel());
                        }
                      }),
              address);
        });
    ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
    try (Socket client = new Socket(LOOPBACK, address.getPort())) {
      client.setSoTimeout(10_000);
      // A response that never ends: each chunk is work for the event loop, so its quiet period
      // never passes and only the deadline can stop it.
      Channel response = served.get(5, TimeUnit.SECONDS);
      producer.scheduleAtFixedRate(
          () -> response.writeAndFlush(Unpooled.copiedBuffer("tick\n", StandardCharsets.US_ASCII)),
          0,
          20,
          TimeUnit.MILLISECONDS);
      InputStream in = client.getInputStream();
      assertThat(in.read()).isEqualTo('t');

      long begin = System.nanoTime();
      assertTimeoutPreemptively(Duration.ofSeconds(30), server::close);
      System.out.printf(
          "close with a response in flight took %d ms (deadline 1000 ms)%n",
          (System.nanoTime() - begin) / 1_000_000);

      while (in.read() != -1) {
        // the rest of the ticks, up to the end of stream the stop causes
      }
    } finally {
      producer.shutdownNow();
    }
    assertThat(server.lastDrain().cut()).isEqualTo(1);
    assertNothingLeftOpen("lifecycle-inflight", address);
  }

  @Test
  void aServerStartsOnce() throws Exception {
    ServerLifecycle server = new ServerLifecycle("lifecycle-once");
    server.start(s -> s.eventLoops("io", 1));
    assertThatThrownBy(() -> server.start(s -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("starts once");
    server.close();
    assertNothingLeftOpen("lifecycle-once");
  }
}
