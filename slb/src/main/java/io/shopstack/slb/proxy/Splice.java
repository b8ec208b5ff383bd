package io.shopstack.slb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
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
   * Writes a chunk read from one side to {@code to}, as is (the same buffer, no copy); {@code
   * readNext} (see {@link #readNextFrom}) asks that side for the next chunk only once this one has
   * been written. With auto-read off a {@code read()} yields exactly one chunk, so each direction
   * holds at most one chunk in the SLB: a slow receiver stops the sender through TCP flow control
   * instead of filling our memory.
   */
  static void forward(Channel to, Object chunk, ChannelFutureListener readNext) {
    if (to == null || !to.isActive()) {
      ReferenceCountUtil.release(chunk);
      return;
    }
    to.writeAndFlush(chunk).addListener(readNext);
  }

  /**
   * What to do once a chunk read from {@code from} has been written: read the next one, or close
   * the receiver the write failed on. Made once per direction, not per chunk: it is the same every
   * time.
   */
  static ChannelFutureListener readNextFrom(Channel from) {
    return written -> {
      if (written.isSuccess()) {
        from.read();
      } else {
        written.channel().close();
      }
    };
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

  /** Closes {@code channel} once everything written to it so far has been flushed. */
  static void closeOnFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
