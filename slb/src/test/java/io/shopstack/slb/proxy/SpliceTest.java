package io.shopstack.slb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.RoundRobin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data path on EmbeddedChannels: which buffer goes where, when reads happen, who releases. */
class SpliceTest {
  /** Counts read requests: a read is the splice asking the peer for its next chunk. */
  static final class ReadCounter extends ChannelOutboundHandlerAdapter {
    int reads;

    @Override
    public void read(ChannelHandlerContext ctx) {
      reads++;
      ctx.read();
    }
  }

  /**
   * Keeps what was written in the channel's outbound buffer until {@link #flushNow}, as a socket
   * whose send buffer is full would: the write is queued, not yet out.
   */
  static final class HeldFlush extends ChannelOutboundHandlerAdapter {
    ChannelHandlerContext ctx;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    void flushNow() {
      ctx.flush();
    }
  }

  /** Fails every write the way Netty's transports do on an I/O error: the channel closes. */
  static final class FailingWrite extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ReferenceCountUtil.release(msg);
      ctx.channel().close();
      promise.tryFailure(new IOException("connection reset"));
    }
  }

  private final ReadCounter readCounter = new ReadCounter();
  private final EmbeddedChannel from = new EmbeddedChannel(readCounter);

  private static ByteBuf chunk(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }

  /** What reached the wire, in order, without the empty buffers written to learn when it had. */
  private static List<ByteBuf> chunksOut(EmbeddedChannel to) {
    List<ByteBuf> out = new ArrayList<>();
    for (ByteBuf written; (written = to.readOutbound()) != null; ) {
      if (written.isReadable()) {
        out.add(written);
      } else {
        written.release();
      }
    }
    return out;
  }

  private int readsSinceStart() {
    return readCounter.reads - 1; // one read was the EmbeddedChannel's own, on activation
  }

  @Test
  void forwardsTheSameBufferAtTheEndOfTheLoopsTurnAndAsksForMoreAtOnce() {
    EmbeddedChannel to = new EmbeddedChannel();
    ByteBuf chunk = chunk("POST /purchaseOrder");

    Splice.forward(to, chunk, new Splice.Relay(from));

    assertThat((Object) to.readOutbound()).as("not flushed before the turn ends").isNull();
    assertThat(readsSinceStart()).as("the receiver had nothing queued").isEqualTo(1);
    to.runPendingTasks(); // the rest of the loop's turn: its tasks
    ByteBuf written = to.readOutbound();
    assertThat(written).as("zero copy: the very buffer read").isSameAs(chunk);
    assertThat(readsSinceStart()).isEqualTo(1);
    assertThat(chunk.release()).isTrue();
  }

  @Test
  void aChunkThatCameWhileAnotherWaitsIsFollowedByTheReadOnlyOnceBothAreOut() {
    HeldFlush held = new HeldFlush();
    EmbeddedChannel to = new EmbeddedChannel(held);
    Splice.Relay relay = new Splice.Relay(from);
    ByteBuf first = chunk("POST /purchaseOrder");
    ByteBuf second = chunk("{\"order\": {}}");

    Splice.forward(to, first, relay);
    to.runPendingTasks(); // flushed, but the socket takes nothing
    Splice.forward(to, second, relay);
    to.runPendingTasks();

    assertThat((Object) to.readOutbound()).as("still queued").isNull();
    assertThat(readsSinceStart()).as("one read, asked with the first chunk").isEqualTo(1);

    held.flushNow();
    assertThat(chunksOut(to)).containsExactly(first, second);
    assertThat(readsSinceStart()).as("the next read once both are out").isEqualTo(2);
    assertThat(first.release()).isTrue();
    assertThat(second.release()).isTrue();
    to.finishAndReleaseAll();
  }

  @Test
  void aFailedWriteClosesTheReceiverAndReadsNoMore() {
    EmbeddedChannel to = new EmbeddedChannel(new FailingWrite());
    ByteBuf chunk = chunk("data");

    Splice.forward(to, chunk, new Splice.Relay(from));

    assertThat(to.isOpen()).isFalse();
    assertThat(readsSinceStart()).isZero();
    assertThat(chunk.refCnt()).isZero();
  }

  @Test
  void aChunkForAClosedPeerIsReleased() {
    EmbeddedChannel to = new EmbeddedChannel();
    to.close();
    ByteBuf chunk = chunk("late");

    Splice.forward(to, chunk, new Splice.Relay(from));

    assertThat(chunk.refCnt()).isZero();
    assertThat(readsSinceStart()).isZero();
  }

  @Test
  void backendAnswerGoesToTheClientAndItsCloseClosesTheClientAfterFlushing() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BackendPool pool =
        new BackendPool(List.of(new InetSocketAddress("127.0.0.1", 1)), new RoundRobin());
    EmbeddedChannel client = new EmbeddedChannel();
    EmbeddedChannel backend =
        new EmbeddedChannel(
            new BackendHandler(
                client, new SpliceLog(), new TrafficMetrics(registry, "shop", pool), pool.queue()));
    ByteBuf answer = chunk("HTTP/1.1 201 Created\r\n");

    backend.writeInbound(answer);
    client.runPendingTasks();
    ByteBuf delivered = client.readOutbound();
    backend.close();

    assertThat(delivered).isSameAs(answer);
    assertThat(delivered.release()).isTrue();
    assertThat(client.isOpen()).isFalse();
    assertThat(registry.get("slb_bytes_out").counter().count()).isEqualTo(22);
  }

  @Test
  void endOfStreamFromOnePeerEndsTheOtherAfterFlushing() {
    EmbeddedChannel to = new EmbeddedChannel();
    to.write(chunk("last words"));

    Splice.endOfStream(from, to);

    ByteBuf flushed = to.readOutbound();
    assertThat(flushed.toString(StandardCharsets.US_ASCII)).isEqualTo("last words");
    assertThat(flushed.release()).isTrue();
    assertThat(to.isOpen()).isFalse();
  }

  @Test
  void aPeerWithNothingQueuedIsClosedAtOnceWithoutAnEmptyWrite() {
    EmbeddedChannel to = new EmbeddedChannel();

    Splice.closeOnFlush(to);

    assertThat(to.isOpen()).isFalse();
    assertThat(to.outboundMessages()).isEmpty();
  }

  @Test
  void aPeerWithAChunkStillQueuedIsClosedOnlyOnceItIsOut() {
    HeldFlush held = new HeldFlush();
    EmbeddedChannel to = new EmbeddedChannel(held);
    to.writeAndFlush(chunk("tail"));

    Splice.closeOnFlush(to);
    boolean openWhileQueued = to.isOpen();
    held.flushNow();

    assertThat(openWhileQueued).isTrue();
    assertThat(to.isOpen()).isFalse();
    ByteBuf tail = to.readOutbound();
    assertThat(tail.toString(StandardCharsets.US_ASCII)).isEqualTo("tail");
    assertThat(tail.release()).isTrue();
  }
}
