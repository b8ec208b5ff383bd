package io.shopstack.slb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An answer whose end of stream comes before its flush leaves with the FIN in one segment, as
 * HAProxy's do: counted by the kernel ({@code tcpi_segs_out} of the sending socket, read with
 * {@code getsockopt(TCP_INFO)}) on a real loopback connection, and the peer reads the whole answer
 * then its end. The same answer flushed before the end of stream takes two segments: the count sees
 * segments, so the first test fails if the FIN is sent on its own.
 */
class FinWithLastChunkTest {
  private static final int IPPROTO_TCP = 6;
  private static final int TCP_INFO = 11;
  // struct tcp_info (linux/tcp.h): 8 one-byte fields, 24 u32, 4 u64, then tcpi_segs_out.
  private static final int SEGS_OUT_OFFSET = 8 + 24 * 4 + 4 * 8;
  private static final String ANSWER = "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n";

  private EventLoopGroup loop;
  private ServerSocket peer;
  private java.net.Socket accepted;
  private Channel to;

  @BeforeEach
  void connect() throws Exception {
    assertThat(Epoll.isAvailable()).as("native epoll loads here (it ships in the jar)").isTrue();
    loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    to =
        new Bootstrap()
            .group(loop)
            .channel(EpollSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .handler(new ChannelInboundHandlerAdapter())
            .connect(peer.getLocalSocketAddress())
            .sync()
            .channel();
    accepted = peer.accept();
    accepted.setSoTimeout(5000);
  }

  @AfterEach
  void close() throws Exception {
    if (to != null) {
      to.close().sync();
    }
    if (accepted != null) {
      accepted.close();
    }
    peer.close();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void anAnswerNotYetFlushedLeavesWithTheFinInOneSegment() throws Exception {
    // As Splice.forward leaves a chunk until the end of the loop's turn.
    assertThat(segmentsForAnswerAndFin(false))
        .as("segments sent for the answer and the FIN")
        .isEqualTo(1);
    assertThat(readToEnd(accepted.getInputStream())).isEqualTo(ANSWER);
  }

  @Test
  void anAnswerFlushedBeforeTheEndOfStreamTakesASegmentOfItsOwn() throws Exception {
    assertThat(segmentsForAnswerAndFin(true)).as("the answer, then the FIN").isEqualTo(2);
    assertThat(readToEnd(accepted.getInputStream())).isEqualTo(ANSWER);
  }

  /** Writes the answer, flushed or not, ends the stream as a splice does, counts the segments. */
  private long segmentsForAnswerAndFin(boolean flushedFirst) throws Exception {
    return onLoop(
        () -> {
          long before = segmentsSent(to);
          to.write(answer(), to.voidPromise());
          if (flushedFirst) {
            to.flush();
          }
          Splice.endOfStream(new EmbeddedChannel(), to);
          return segmentsSent(to) - before;
        });
  }

  private static ByteBuf answer() {
    return Unpooled.directBuffer().writeBytes(ANSWER.getBytes(StandardCharsets.US_ASCII));
  }

  private <T> T onLoop(Callable<T> task) throws Exception {
    return to.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
  }

  /** The kernel's count of segments this socket has sent (tcpi_segs_out, Linux 4.2 and later). */
  private static long segmentsSent(Channel channel) throws IOException {
    ByteBuffer info = ByteBuffer.allocateDirect(256).order(ByteOrder.nativeOrder());
    ((Socket) ((UnixChannel) channel).fd()).getRawOpt(IPPROTO_TCP, TCP_INFO, info);
    return Integer.toUnsignedLong(info.getInt(SEGS_OUT_OFFSET));
  }

  private static String readToEnd(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
  }
}
