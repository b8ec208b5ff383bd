package io.shopstack.common.server;

import static io.shopstack.common.testing.ServerLeftovers.assertNothingLeftOpen;
import static io.shopstack.common.testing.ServerLeftovers.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.shopstack.common.testing.ServerLeftovers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping drains the accepted connections: a plain line protocol whose connections are busy
 * between {@code work} and {@code done}, and which closes idle ones when the server stops.
 */
class ConnectionDrainTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** Answers {@code done} with {@code bye}; closes on the stop unless between work and done. */
  private static final class WorkProtocol extends SimpleChannelInboundHandler<String> {
    private final boolean drainAware;
    private boolean busy;
    private boolean stopping;

    WorkProtocol(boolean drainAware) {
      this.drainAware = drainAware;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
      if (line.equals("work")) {
        busy = true;
        ctx.writeAndFlush("working\n");
      } else if (line.equals("done")) {
        busy = false;
        var written = ctx.writeAndFlush("bye\n");
        if (stopping) {
          written.addListener(f -> ctx.close());
        }
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (drainAware && event == ShutdownRequested.INSTANCE) {
        stopping = true;
        if (!busy) {
          ctx.close();
        }
      }
      ctx.fireUserEventTriggered(event);
    }
  }

  private static ServerLifecycle start(
      String instance, Duration deadline, InetSocketAddress address, boolean drainAware)
      throws InterruptedException {
    ServerLifecycle server = new ServerLifecycle(instance, deadline);
    server.start(
        s -> {
          EventLoopGroup group = s.eventLoops("io", 1);
          s.bind(
              "listener",
              s.serverBootstrap(group, group)
                  .childHandler(
                      new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                          ch.pipeline()
                              .addLast(new LineBasedFrameDecoder(100))
                              .addLast(new StringDecoder(StandardCharsets.US_ASCII))
                              .addLast(new StringEncoder(StandardCharsets.US_ASCII))
                              .addLast(new WorkProtocol(drainAware));
                        }
                      }),
              address);
        });
    return server;
  }

  private static Socket connect(InetSocketAddress address) throws Exception {
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(10_000); // a guard against a hang, not a measurement
    return socket;
  }

  private static BufferedReader lines(Socket socket) throws Exception {
    return new BufferedReader(
        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
  }

  @Test
  void aBusyConnectionFinishesItsWorkAndAnIdleOneIsClosedAtOnce() throws Exception {
    InetSocketAddress address = new InetSocketAddress(LOOPBACK, freePort());
    ServerLifecycle server = start("drain-busy", Duration.ofSeconds(5), address, true);
    try (Socket idle = connect(address);
        Socket busy = connect(address)) {
      BufferedReader busyIn = lines(busy);
      busy.getOutputStream().write("work\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(busyIn.readLine()).isEqualTo("working");
      await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 2);

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);

      assertThat(idle.getInputStream().read()).as("idle connection closed").isEqualTo(-1);
      // No longer accepting. NIO closes a registered listening socket only when its event loop
      // next selects (the JDK defers the close of a channel a selector still holds), and the
      // idle connection's close can run in the same batch of tasks, before that select: under
      // load the port refused a moment after the idle close, not at once (a CI failure).
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> ServerLeftovers.assertRefused(address));
      assertThat(closing).as("still waiting for the busy connection").isNotDone();

      busy.getOutputStream().write("done\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(busyIn.readLine()).isEqualTo("bye");
      assertThat(busyIn.read()).as("closed after its work").isEqualTo(-1);

      closing.get(30, TimeUnit.SECONDS);
    }
    DrainFigures drain = server.lastDrain();
    assertThat(drain.open()).isEqualTo(2);
    assertThat(drain.drained()).isEqualTo(2);
    assertThat(drain.cut()).isZero();
    assertThat(drain.millis()).as("ended before the 5 s deadline").isLessThan(5000);
    assertNothingLeftOpen("drain-busy", address);
  }

  @Test
  void aConnectionThatIgnoresTheStopRunsUntilTheDeadlineCutsIt() throws Exception {
    InetSocketAddress address = new InetSocketAddress(LOOPBACK, freePort());
    ServerLifecycle server = start("drain-deaf", Duration.ofSeconds(1), address, false);
    try (Socket deaf = connect(address)) {
      BufferedReader in = lines(deaf);
      deaf.getOutputStream().write("work\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(in.readLine()).isEqualTo("working");

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);

      // Still served after the stop began: the server only cuts it at the deadline.
      deaf.getOutputStream().write("done\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(in.readLine()).isEqualTo("bye");
      assertThat(in.read()).as("cut at the deadline").isEqualTo(-1);
      closing.get(30, TimeUnit.SECONDS);
    }
    DrainFigures drain = server.lastDrain();
    assertThat(drain.open()).isEqualTo(1);
    assertThat(drain.drained()).isZero();
    assertThat(drain.cut()).isEqualTo(1);
    assertNothingLeftOpen("drain-deaf", address);
  }

  /**
   * A server whose listener accepts connections and never hands them to an event loop, as the SLB's
   * maxconn holds clients accepted past its limit; they pile up in {@code held}.
   */
  private static ServerLifecycle holding(
      String instance, Duration deadline, InetSocketAddress address, Queue<Channel> held)
      throws InterruptedException {
    ServerLifecycle server = new ServerLifecycle(instance, deadline);
    server.start(
        s -> {
          EventLoopGroup group = s.eventLoops("io", 1);
          ServerBootstrap bootstrap =
              s.serverBootstrap(group, group).childHandler(new ChannelInboundHandlerAdapter());
          ChannelHandler tracking = bootstrap.config().handler();
          bootstrap.handler(
              new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel listener) {
                  listener
                      .pipeline()
                      .addLast(
                          tracking,
                          new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object accepted) {
                              held.add((Channel) accepted);
                            }
                          });
                }
              });
          s.bind("listener", bootstrap, address);
        });
    return server;
  }

  /**
   * A connection closed without ever having an event loop ({@code closeForcibly}, as the SLB closes
   * a held client) completes no close future: the drain forgets it instead of waiting for it until
   * the deadline.
   */
  @Test
  void aConnectionClosedBeforeItHadAnEventLoopDoesNotHoldTheStop() throws Exception {
    InetSocketAddress address = new InetSocketAddress(LOOPBACK, freePort());
    Queue<Channel> held = new ConcurrentLinkedQueue<>();
    ServerLifecycle server = holding("drain-forced", Duration.ofSeconds(120), address, held);
    try (Socket client = connect(address)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
      held.peek().unsafe().closeForcibly();

      // Far below the 120 s deadline, which the drain used to wait out for it.
      CompletableFuture.runAsync(server::close).get(60, TimeUnit.SECONDS);
    }
    DrainFigures drain = server.lastDrain();
    assertThat(drain.open()).isEqualTo(1);
    assertThat(drain.drained()).isEqualTo(1);
    assertThat(drain.cut()).isZero();
    assertNothingLeftOpen("drain-forced", address);
  }

  /**
   * One still open without an event loop at the deadline has no loop to run a close: it is closed
   * directly (the cut used to throw "channel not registered to an event loop" from the stop).
   */
  @Test
  void aConnectionWithoutAnEventLoopAtTheDeadlineIsCutDirectly() throws Exception {
    InetSocketAddress address = new InetSocketAddress(LOOPBACK, freePort());
    Queue<Channel> held = new ConcurrentLinkedQueue<>();
    ServerLifecycle server = holding("drain-unregistered", Duration.ofSeconds(1), address, held);
    try (Socket client = connect(address)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

      server.close();

      assertThat(client.getInputStream().read()).as("closed at the cut").isEqualTo(-1);
    }
    DrainFigures drain = server.lastDrain();
    assertThat(drain.open()).isEqualTo(1);
    assertThat(drain.cut()).isEqualTo(1);
    assertNothingLeftOpen("drain-unregistered", address);
  }

  @Test
  void aServerWithNoConnectionsStopsWithNothingToDrain() throws Exception {
    InetSocketAddress address = new InetSocketAddress(LOOPBACK, freePort());
    ServerLifecycle server = start("drain-empty", Duration.ofSeconds(5), address, true);
    server.close();
    assertThat(server.lastDrain().open()).isZero();
    assertNothingLeftOpen("drain-empty", address);
  }
}
