package io.shopstack.edge.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.shopstack.edge.origin.OriginStream;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Writes a body that is still arriving from the origin to one client, as it arrives. It takes what
 * the {@link OriginStream} has, writes it while the client's socket is writable, and when it is not
 * waits for the last write to drain before taking more (Netty's read-after-write backpressure, as
 * the SLB's {@code Splice}). A relayed body is thereby held back at the origin, not queued here. If
 * the body fails half-way the client connection is closed: after the head has gone out there is no
 * other honest way to say so.
 */
final class BodyRelay {
  private final Channel client;
  private final OriginStream stream;
  private final OriginStream.Reader reader;
  private final LongConsumer sent;
  private final ChannelPromise done;

  private BodyRelay(
      Channel client, OriginStream stream, OriginStream.Reader reader, LongConsumer sent) {
    this.client = client;
    this.stream = stream;
    this.reader = reader;
    this.sent = sent;
    this.done = client.newPromise();
  }

  /**
   * Starts relaying to {@code client} after its response head has been written; the future
   * completes when the last byte is written (or fails, the connection then closed). {@code sent}
   * hears of every chunk's size as it is written.
   */
  static ChannelFuture start(
      Channel client, OriginStream stream, OriginStream.Reader reader, LongConsumer sent) {
    BodyRelay relay = new BodyRelay(client, stream, reader, sent);
    client.closeFuture().addListener(f -> relay.clientGone());
    relay.pump();
    return relay.done;
  }

  private void pump() {
    if (!client.eventLoop().inEventLoop()) {
      client.eventLoop().execute(this::pump);
      return;
    }
    if (done.isDone()) {
      return;
    }
    OriginStream.Batch batch = stream.take(reader);
    ChannelFuture last = null;
    List<byte[]> chunks = batch.chunks();
    for (byte[] chunk : chunks) {
      if (chunk.length > 0) {
        last = client.write(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
        sent.accept(chunk.length);
      }
    }
    if (batch.failure() != null) {
      client.flush();
      stream.leave(reader);
      done.tryFailure(batch.failure());
      client.close();
      return;
    }
    if (batch.done()) {
      client
          .writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(
              f -> {
                stream.leave(reader);
                if (f.isSuccess()) {
                  done.trySuccess();
                } else {
                  done.tryFailure(f.cause());
                }
              });
      return;
    }
    client.flush();
    if (last != null && !client.isWritable()) {
      last.addListener(f -> pump()); // the client is behind: more once this has drained
    } else {
      stream.whenReady(reader, this::pump);
    }
  }

  private void clientGone() {
    if (!done.isDone()) {
      stream.leave(reader);
      done.tryFailure(new java.nio.channels.ClosedChannelException());
    }
  }
}
