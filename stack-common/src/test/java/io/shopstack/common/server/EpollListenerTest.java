package io.shopstack.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.shopstack.common.testing.SystemCallTrace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's epoll listener ({@link Transport#EPOLL}'s server channel) on real sockets: it takes
 * the options the servers give it (backlog, SO_REUSEPORT siblings, child options), its clients are
 * {@link AcceptedEpollChannel}s with Netty's socket settings, and a connection reads neither {@code
 * SO_SNDBUF} nor {@code SO_LINGER} (Netty's listener and client channel read one of each per
 * connection, counted by strace on the loop's thread), and a client read at once joins the epoll
 * set with its read interest in one {@code epoll_ctl}, where Netty's takes two.
 */
class EpollListenerTest {
  private static final int CONNECTIONS = 50;

  private ServerLifecycle server;
  private final Queue<Channel> accepted = new ConcurrentLinkedQueue<>();
  private final Queue<Integer> readSizes = new ConcurrentLinkedQueue<>();
  private Channel first;
  private Channel sibling;
  private Channel anyAddress;

  /** Sends the client's bytes back; on the client's FIN, sends "bye" and closes. */
  private static final class EchoUntilEnd extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        ctx.writeAndFlush(
                ctx.alloc().buffer().writeBytes("bye".getBytes(StandardCharsets.US_ASCII)))
            .addListener(done -> ctx.close());
      }
    }
  }

  /** Notes the size of each read, then passes it on. */
  private final class ReadSizes extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      readSizes.add(((ByteBuf) msg).readableBytes());
      ctx.fireChannelRead(msg);
    }
  }

  @BeforeEach
  void start() throws InterruptedException {
    assertThat(Transport.nativeIfAvailable())
        .as("native epoll loads here")
        .isEqualTo(Transport.EPOLL);
    server = new ServerLifecycle("lt", Duration.ofSeconds(1), Transport.EPOLL);
    server.start(
        s -> {
          EventLoopGroup loops = s.eventLoops("io", 1);
          ServerBootstrap bootstrap =
              s.serverBootstrap(loops, loops)
                  .option(ChannelOption.SO_BACKLOG, 64)
                  .option(EpollChannelOption.SO_REUSEPORT, true)
                  .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                  .childHandler(
                      new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                          accepted.add(channel);
                          channel.pipeline().addLast(new ReadSizes(), new EchoUntilEnd());
                        }
                      });
          first =
              s.bind(
                  "listener",
                  bootstrap,
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
          sibling = s.bind("listener", bootstrap, (InetSocketAddress) first.localAddress());
          anyAddress = s.bind("wildcard", bootstrap, new InetSocketAddress(0));
        });
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void listensWithTheOptionsGiven() {
    for (Channel listener : List.of(first, sibling)) {
      assertThat((Object) listener).isInstanceOf(EpollListener.class);
      EpollListenerConfig config = ((EpollListener) listener).config();
      assertThat(config.getBacklog()).isEqualTo(64);
      assertThat(config.isReusePort()).isTrue();
      assertThat(config.isReuseAddress()).as("on from the start, as Netty's").isTrue();
      assertThat((Object) config.getRecvByteBufAllocator())
          .as("AcceptBatch's")
          .isInstanceOf(AcceptBatch.allocator().getClass());
      assertThat(listener.isActive()).isTrue();
    }
    assertThat(sibling.localAddress()).isEqualTo(first.localAddress());
  }

  @Test
  void clientsGetNettysSettingsAndHalfCloseWorks() throws Exception {
    try (Socket client = new Socket()) {
      client.connect(first.localAddress(), 2000);
      client.setSoTimeout(5000);
      client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(client.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
          .isEqualTo("hello");
      sameSettingsAsNettys(accepted.peek());
      client.shutdownOutput();
      assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
          .as("the answer after the client's FIN, then the end")
          .isEqualTo("bye");
      AcceptedEpollChannel channel = (AcceptedEpollChannel) accepted.peek();
      assertThat(channel.remoteAddress().getPort()).isEqualTo(client.getLocalPort());
      assertThat(channel.localAddress()).isEqualTo(first.localAddress());
      assertThat(channel.parent()).isIn(first, sibling);
      assertThat(channel.config().isAllowHalfClosure()).as("childOption").isTrue();
    }
  }

  /**
   * A client's local address is the listener's when that is bound to one address; behind a wildcard
   * it is the kernel's answer for that socket, asked while it is open and kept after.
   */
  @Test
  void aClientBehindAWildcardListenerKnowsTheAddressItCameTo() throws Exception {
    int port = ((InetSocketAddress) anyAddress.localAddress()).getPort();
    InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    try (Socket client = new Socket()) {
      client.connect(target, 2000);
      client.setSoTimeout(5000);
      client.getOutputStream().write('x');
      assertThat(client.getInputStream().read()).isEqualTo('x');
      AcceptedEpollChannel channel = (AcceptedEpollChannel) accepted.peek();
      assertThat(channel.parent()).isSameAs(anyAddress);
      assertThat(channel.localAddress().getPort()).isEqualTo(port);
      assertThat(channel.localAddress().getAddress().isLoopbackAddress())
          .as("%s: the address the client connected to, not the wildcard", channel.localAddress())
          .isTrue();
      client.shutdownOutput();
      assertThat(client.getInputStream().readAllBytes()).hasSize(3);
      awaitClosed(List.of(channel));
      assertThat(channel.isOpen()).isFalse();
      assertThat(channel.localAddress().getPort()).as("kept after the close").isEqualTo(port);
    }
  }

  /**
   * Reads start small and grow as they fill their buffer, up to 32 KiB, not Netty's 64 KiB: a bulk
   * transfer moves on in finer steps, for less CPU per byte (EpollSocketConfig's figures).
   */
  @Test
  void aClientsReadsGrowToThirtyTwoKibibytesAndNoFurther() throws Exception {
    byte[] bulk = new byte[1 << 20];
    try (Socket client = new Socket()) {
      client.connect(first.localAddress(), 2000);
      client.setSoTimeout(5000);
      client.getOutputStream().write(bulk);
      client.shutdownOutput();
      assertThat(client.getInputStream().readAllBytes()).hasSize(bulk.length + 3);
    }
    assertThat(readSizes.peek()).as("the first read").isLessThanOrEqualTo(2048);
    assertThat(Collections.max(readSizes)).isEqualTo(EpollSocketConfig.MAX_READ_BYTES);
  }

  /** Netty's client channel starts with TCP_NODELAY on and SO_KEEPALIVE off; so does ours. */
  private static void sameSettingsAsNettys(Channel ours) {
    EpollSocketChannel netty = new EpollSocketChannel(SocketProtocolFamily.INET);
    try {
      assertThat(ours.config().getOption(ChannelOption.TCP_NODELAY))
          .isEqualTo(netty.config().isTcpNoDelay())
          .isTrue();
      assertThat(ours.config().getOption(ChannelOption.SO_KEEPALIVE))
          .isEqualTo(netty.config().isKeepAlive());
    } finally {
      netty.unsafe().close(netty.unsafe().voidPromise());
    }
  }

  /**
   * No socket option is read or set per connection: TCP_NODELAY comes from the listener (on, as
   * {@link #clientsGetNettysSettingsAndHalfCloseWorks} reads from each client's socket).
   */
  @Test
  void connectionsReadNoSendBufferAndNoLingerAndSetNoOption(@TempDir Path dir) throws Exception {
    List<String> calls =
        loopCalls(dir.resolve("sockopt.txt"), "getsockopt,setsockopt,getsockname", false);
    assertThat(accepted).hasSize(CONNECTIONS).noneMatch(Channel::isOpen);
    assertThat(calls.stream().filter(line -> line.contains("getsockname(")))
        .as("getsockname: none for the family (the listener's), none for the local address")
        .isEmpty();
    assertThat(calls.stream().filter(line -> line.contains("SO_SNDBUF")))
        .as("SO_SNDBUF reads")
        .isEmpty();
    assertThat(calls.stream().filter(line -> line.contains("SO_LINGER")))
        .as("SO_LINGER reads")
        .isEmpty();
    assertThat(calls.stream().filter(line -> line.contains("setsockopt(")))
        .as("socket options set per connection (TCP_NODELAY is the listener's)")
        .isEmpty();
  }

  @Test
  void aClientReadAtOnceJoinsEpollWithItsReadInterestInOneCall(@TempDir Path dir) throws Exception {
    List<String> calls = loopCalls(dir.resolve("epoll_ctl.txt"), "epoll_ctl", true);
    List<String> adds = calls.stream().filter(line -> line.contains("EPOLL_CTL_ADD")).toList();
    assertThat(adds).as("one epoll_ctl ADD per client").hasSize(CONNECTIONS);
    assertThat(adds).as("each with read interest").allMatch(line -> line.contains("EPOLLIN"));
    assertThat(calls.stream().filter(line -> line.contains("EPOLL_CTL_MOD")))
        .as("no second call to add read interest (Netty takes its read interest out at the FIN)")
        .noneMatch(line -> line.contains("EPOLLIN"));
  }

  /**
   * The system calls {@code names} (strace's list) that the event loop made while {@link
   * #CONNECTIONS} clients each connected, sent one byte and read its echo when {@code echoFirst},
   * sent their FIN and read the "bye" to the end; traced until every accepted channel has closed.
   */
  private List<String> loopCalls(Path file, String names, boolean echoFirst) throws Exception {
    // Before the trace: the one check at its first use makes sockets Netty's way and asks for them.
    assertThat(KnownFamilySockets.skipsFamilyCheck()).as("sockets made without the check").isTrue();
    List<String> traced;
    try (SystemCallTrace trace = SystemCallTrace.ofThisJvm(file, names)) {
      for (int i = 0; i < CONNECTIONS; i++) {
        try (Socket client = new Socket()) {
          client.connect(first.localAddress(), 2000);
          client.setSoTimeout(5000);
          if (echoFirst) {
            client.getOutputStream().write('x');
            assertThat(client.getInputStream().read()).isEqualTo('x');
          }
          client.shutdownOutput();
          assertThat(client.getInputStream().readAllBytes()).hasSize(3);
        }
      }
      awaitClosed(accepted);
      traced = trace.stopAndRead();
    }
    Set<String> loop = SystemCallTrace.threadIds(name -> name.startsWith("lt-io-"));
    return traced.stream().filter(line -> loop.contains(line.split(" ", 2)[0])).toList();
  }

  /** The server closes after its "bye": waits up to 5 s until each channel has. */
  private static void awaitClosed(Collection<Channel> channels) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (channels.stream().anyMatch(Channel::isOpen) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
