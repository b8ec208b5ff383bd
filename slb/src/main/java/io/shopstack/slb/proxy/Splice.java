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
  /**
   * Linux's {@code IPPROTO_TCP} and {@code TCP_CORK} (netinet/tcp.h), for {@link #holdUntilFin}.
   */
  private static final int IPPROTO_TCP = 6;

  private static final int TCP_CORK = 3;

  private Splice() {}

  /**
   * Writes a chunk read from one side to {@code to}, as is (the same buffer, no copy), and has it
   * flushed once the event loop has handled the rest of what this wake-up brought ({@link Relay}).
   * The flush waits that long so that an end of stream which came in the same wake-up (the
   * backend's answer and its FIN, nginx's or the order service's {@code Connection: close}) can
   * leave with the chunk in one segment ({@link #endOfStream}), as HAProxy merges its FIN with the
   * last data; a chunk alone leaves at the end of the same turn, before the loop waits again.
   *
   * <p>With auto-read off a {@code read()} yields exactly one chunk. The side it came from is asked
   * for the next one at once when the receiver had nothing queued before this chunk, nearly always
   * (keep-alive: two chunks per request, each a few KiB, taken whole by the socket), which keeps
   * that side's read interest without an {@code epoll_ctl}; otherwise only once what is queued has
   * been written. So each direction holds at most two chunks in the SLB: a slow receiver stops the
   * sender through TCP flow control instead of filling our memory.
   */
  static void forward(Channel to, Object chunk, Relay relay) {
    if (to == null || !to.isActive()) {
      ReferenceCountUtil.release(chunk);
      return;
    }
    ChannelOutboundBuffer queued = to.unsafe().outboundBuffer();
    boolean drained = queued != null && queued.totalPendingWriteBytes() == 0;
    // A failed write closes the channel (Netty's transports on an I/O error) and reaches its
    // handler's exceptionCaught through the void promise; its handler then closes the sender.
    to.write(chunk, to.voidPromise());
    if (!to.isActive()) {
      return;
    }
    relay.flushSoon(to);
    if (drained) {
      relay.readFrom();
    } else {
      relay.readOwed = true;
    }
  }

  /**
   * One direction of a splice: flushes its receiver at the end of the event loop's turn and asks
   * its sender for the next chunk when the receiver has taken the last. Made once per direction,
   * not per chunk; it is its own flush task and its own write listener. Used on the splice's event
   * loop only (both channels of a splice share one).
   */
  static final class Relay implements ChannelFutureListener, Runnable {
    private final Channel from;
    private Channel to;
    private boolean flushQueued;
    // A chunk came while another was still queued: the next read waits until both are out.
    private boolean readOwed;
    // An empty write's listener waits for the receiver to drain.
    private boolean draining;

    Relay(Channel from) {
      this.from = from;
    }

    void flushSoon(Channel receiver) {
      to = receiver;
      if (!flushQueued) {
        flushQueued = true;
        receiver.eventLoop().execute(this);
      }
    }

    /** The flush: tasks run after the loop has handled every I/O event of its wake-up. */
    @Override
    public void run() {
      flushQueued = false;
      Channel receiver = to;
      if (!receiver.isActive()) {
        return;
      }
      receiver.flush();
      ChannelOutboundBuffer queued = receiver.unsafe().outboundBuffer();
      if (queued == null || !receiver.isActive()) {
        return;
      }
      if (queued.totalPendingWriteBytes() == 0) {
        if (readOwed) {
          readOwed = false;
          readFrom();
        }
      } else if (!draining) {
        // The receiver's socket is full: Netty completes writes in order, so an empty buffer
        // written behind the queued bytes completes once they are out.
        draining = true;
        receiver.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(this);
      }
    }

    @Override
    public void operationComplete(ChannelFuture written) {
      draining = false;
      if (written.isSuccess()) {
        readOwed = false;
        readFrom();
      } else {
        written.channel().close();
      }
    }

    /** Asks the sender for its next chunk, unless it has finished: no read interest is set then. */
    void readFrom() {
      if (from.isActive() && !(from instanceof DuplexChannel duplex && duplex.isInputShutdown())) {
        from.read();
      }
    }
  }

  static int size(Object chunk) {
    return chunk instanceof ByteBuf buf ? buf.readableBytes() : 0;
  }

  /**
   * {@code from}'s peer has finished sending (FIN): finish sending to {@code to}'s peer too, after
   * everything already queued, so a client that half-closes still gets its answer. A connection
   * whose both directions are finished is closed. Bytes still waiting for their flush (the end of
   * stream came in the same wake-up as the last chunk, see {@link #forward}) are held back until
   * the FIN ({@code TCP_CORK}): the FIN then leaves in their segment, one segment and one ACK fewer
   * per connection, for one {@code setsockopt}.
   */
  static void endOfStream(Channel from, Channel to) {
    if (to == null || !to.isActive()) {
      from.close();
      return;
    }
    if (to instanceof DuplexChannel duplex) {
      ChannelOutboundBuffer queued = to.unsafe().outboundBuffer();
      if (queued != null && queued.totalPendingWriteBytes() > 0) {
        holdUntilFin(to);
        to.flush();
      }
      if (queued != null && queued.isEmpty() && queued.totalPendingWriteBytes() == 0) {
        // Nearly always: the socket took everything, so the FIN follows at once, without an empty
        // write, a promise and a listener through the pipeline.
        finishSending(duplex);
      } else {
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> finishSending(duplex));
      }
    } else {
      closeOnFlush(to);
    }
    closeIfDone(from);
  }

  /**
   * Corks {@code to}'s socket: what is written now waits for the FIN (or a full segment) instead of
   * leaving at once, as HAProxy's {@code MSG_MORE} on the last data before its shutdown does.
   * Nothing is written to it after the FIN, so the cork is never taken out. On NIO, or if the
   * kernel refuses, the data and the FIN leave as two segments, as they did before.
   */
  private static void holdUntilFin(Channel to) {
    if (to instanceof UnixChannel unix && unix.fd() instanceof Socket socket) {
      try {
        socket.setIntOpt(IPPROTO_TCP, TCP_CORK, 1);
      } catch (IOException refused) {
        // two segments instead of one
      }
    }
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
