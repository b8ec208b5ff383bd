package io.shopstack.dns.server;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * An answer of many messages over one TCP connection (a zone transfer): each message is made and
 * encoded only when the previous ones have left, so memory holds a few messages, not the transfer.
 * It writes while the connection is writable, waits for the last write when it is not (the client
 * reads slowly), and after a batch hands the event loop back to the other connections on it.
 */
final class StreamedAnswer {
  private static final Logger log = LoggerFactory.getLogger(StreamedAnswer.class);

  /** Messages written per turn on the event loop; at ~16 KB each, a quarter megabyte. */
  static final int MESSAGES_PER_TURN = 16;

  private final ChannelHandlerContext ctx;
  private final QueryFlow.Wire transport;
  private final InetSocketAddress client;
  private final Iterator<Message> messages;
  private final Function<Message, byte[]> encoder;
  private final Runnable done;

  /**
   * @param encoder one message to its wire form (limits, our cookie)
   * @param done called once, after the last message was queued or the transfer was given up
   */
  StreamedAnswer(
      ChannelHandlerContext ctx,
      QueryFlow.Wire transport,
      InetSocketAddress client,
      Iterator<Message> messages,
      Function<Message, byte[]> encoder,
      Runnable done) {
    this.ctx = ctx;
    this.transport = transport;
    this.client = client;
    this.messages = messages;
    this.encoder = encoder;
    this.done = done;
  }

  /** Starts (or goes on) on the connection's event loop, whatever thread calls it. */
  void resume() {
    if (ctx.executor().inEventLoop()) {
      writeSome();
    } else {
      ctx.executor().execute(this::writeSome);
    }
  }

  private void writeSome() {
    if (!ctx.channel().isActive()) {
      done.run(); // the client went away: nothing more to make
      return;
    }
    for (int written = 0; ; written++) {
      ChannelFuture sent;
      boolean last;
      try {
        if (!messages.hasNext()) {
          done.run();
          return;
        }
        sent =
            transport.send(
                ctx,
                client,
                QueryFlow.framed(encoder.apply(messages.next()), transport.headroom()));
        last = !messages.hasNext();
      } catch (RuntimeException e) {
        log.warn(
            "multi-message answer to {} failed: {}", ctx.channel().remoteAddress(), e.toString());
        transport.abandon(ctx); // an incomplete transfer must not look complete
        done.run();
        return;
      }
      if (last) {
        done.run();
        return;
      }
      if (!ctx.channel().isWritable()) {
        ctx.flush();
        // Backpressure: the next message is made when the socket has taken this one.
        sent.addListener(
            f -> {
              if (f.isSuccess()) {
                writeSome();
              } else {
                done.run();
              }
            });
        return;
      }
      if (written + 1 == MESSAGES_PER_TURN) {
        ctx.flush();
        ctx.executor().execute(this::writeSome); // the loop's other connections get their turn
        return;
      }
    }
  }
}
