package io.shopstack.slb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * The data path both halves of a spliced connection share: client to backend and backend to client
 * are the same three moves in opposite directions.
 */
final class Splice {
  private Splice() {}

  /**
   * Writes a chunk read from one side to {@code to}, as is (the same buffer, no copy); the side it
   * came from is asked for its next chunk (see {@link ReadNext}) only once this one has been
   * written. With auto-read off a {@code read()} yields exactly one chunk, so each direction holds
   * at most one chunk in the SLB: a slow receiver stops the sender through TCP flow control instead
   * of filling our memory.
   *
   * <p>Nearly always the socket takes the chunk whole during the flush (keep-alive: two chunks per
   * request, each a few KiB), so the next read is asked for right here, with no promise made and no
   * listener called per chunk. Only a chunk still queued after the flush (the receiver's socket
   * buffer full) gets a listener, on an empty buffer written behind it: Netty completes writes in
   * order, so that fires once the chunk is out. This relies on nothing between the pipeline's tail
   * and the socket holding writes back (the splice's pipelines have only our inbound handlers).
   */
  static void forward(Channel to, Object chunk, ReadNext readNext) {
    if (to == null || !to.isActive()) {
      ReferenceCountUtil.release(chunk);
      return;
    }
    // A failed write closes the channel (Netty's transports on an I/O error) and reaches its
    // handler's exceptionCaught through the void promise; the read is then not asked for.
    to.write(chunk, to.voidPromise());
    to.flush();
    ChannelOutboundBuffer queued = to.unsafe().outboundBuffer();
    if (queued == null || !to.isActive()) {
      return;
    }
    if (queued.totalPendingWriteBytes() == 0) { // no byte of the chunk left waiting
      readNext.from.read();
    } else {
      to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(readNext);
    }
  }

  /**
   * Asks one side for its next chunk once the previous one has been written, or closes the receiver
   * the write failed on. Made once per direction, not per chunk: it is the same every time.
   */
  static final class ReadNext implements ChannelFutureListener {
    private final Channel from;

    ReadNext(Channel from) {
      this.from = from;
    }

    @Override
    public void operationComplete(ChannelFuture written) {
      if (written.isSuccess()) {
        from.read();
      } else {
        written.channel().close();
      }
    }
  }

  static int size(Object chunk) {
    return chunk instanceof ByteBuf buf ? buf.readableBytes() : 0;
  }

  /**
   * {@code from}'s peer has finished sending (FIN): finish sending to {@code to}'s peer too, after
   * everything already queued, so a client that half-closes still gets its answer. A connection
   * whose both directions are finished is closed.
   */
  static void endOfStream(Channel from, Channel to) {
    if (to == null || !to.isActive()) {
      from.close();
      return;
    }
    if (to instanceof DuplexChannel duplex) {
      to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> finishSending(duplex));
    } else {
      closeOnFlush(to);
    }
    closeIfDone(from);
  }

  /**
   * Sends {@code to}'s peer our FIN, everything written before having been flushed. On epoll it is
   * the socket's own {@code shutdown(SHUT_WR)}: Netty's {@code shutdownOutput()} does the same call
   * but first builds a {@code ChannelOutputShutdownException} with a full stack trace, to fail
   * writes that are still queued (there are none here: the flush is done). That trace was 4 % of
   * the SLB's CPU samples with one new connection per request (perf: {@code fill_in_stack_trace}),
   * for an exception nobody sees. Netty's output buffer stays open, but nothing more is written to
   * a side whose sender has finished, except the empty flush of {@link #closeOnFlush}, which writes
   * no byte.
   */
  private static void finishSending(DuplexChannel to) {
    if (to instanceof UnixChannel unix && unix.fd() instanceof Socket socket) {
      if (!to.isActive()) {
        return;
      }
      try {
        socket.shutdown(false, true);
      } catch (IOException | RuntimeException gone) {
        to.close(); // the peer reset meanwhile: nothing more can go either way
        return;
      }
      finishedSending(to);
    } else {
      to.shutdownOutput().addListener(shut -> finishedSending(to));
    }
  }

  private static void finishedSending(DuplexChannel to) {
    // Nothing more goes to it: when its own end comes, close it outright. As a half-close that
    // end is a failing shutdown(2) and an exception per connection, only to close it anyway.
    if (to.config() instanceof SocketChannelConfig config) {
      config.setAllowHalfClosure(false);
    }
    closeIfDone(to);
  }

  private static void closeIfDone(Channel channel) {
    if (channel instanceof DuplexChannel duplex && duplex.isShutdown()) {
      channel.close();
    }
  }

  /**
   * Closes {@code channel} once everything written to it so far has been flushed: at once when
   * nothing is left in its outbound buffer, which is nearly always (see {@link #forward}), without
   * an empty write, a promise and a listener through the pipeline.
   */
  static void closeOnFlush(Channel channel) {
    if (!channel.isActive()) {
      return;
    }
    ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
    if (queued != null && queued.isEmpty() && queued.totalPendingWriteBytes() == 0) {
      channel.close();
    } else {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
