package io.shopstack.edge.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The end of an origin connection's pipeline, for the life of the connection: one exchange at a
 * time, it turns the final response head into an {@link OriginStream}, appends the body to it, and
 * at the end hands the connection back to its pool when the origin keeps it open. Every other
 * ending (close, reset, garbled response) fails the exchange, so the client always gets an answer.
 */
final class OriginResponseHandler extends ChannelInboundHandlerAdapter
    implements OriginStream.Flow {

  /** One request's wait for its response on this connection. */
  static final class Exchange {
    final CompletableFuture<OriginStream> head = new CompletableFuture<>();
    final long requestTimeMillis;
    final String origin;
    final boolean reused;
    OriginStream stream;
    long progress; // bytes seen, for the read timeout

    Exchange(long requestTimeMillis, String origin, boolean reused) {
      this.requestTimeMillis = requestTimeMillis;
      this.origin = origin;
      this.reused = reused;
    }
  }

  private final LongSupplier clock;
  private final OriginPool pool;
  private final Origin origin;
  private Channel channel;
  private Exchange current;
  private boolean interim;
  private boolean keepAlive;

  OriginResponseHandler(LongSupplier clock, OriginPool pool, Origin origin) {
    this.clock = clock;
    this.pool = pool;
    this.origin = origin;
  }

  /** Starts waiting for the response to a request about to be written. */
  void begin(Exchange exchange) {
    current = exchange;
    interim = false;
  }

  Exchange current() {
    return current;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      Exchange x = current;
      if (x == null) {
        ctx.close(); // nothing was asked: an origin talking out of turn is not to be trusted
        return;
      }
      if (msg instanceof HttpResponse response) {
        head(ctx, x, response);
      }
      if (msg instanceof HttpContent content && current == x) {
        body(ctx, x, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void head(ChannelHandlerContext ctx, Exchange x, HttpResponse response) {
    if (response.decoderResult().isFailure()) {
      fail(
          ctx,
          new OriginException(
              OriginException.Kind.BAD_RESPONSE,
              "malformed response from origin " + x.origin,
              response.decoderResult().cause()));
      return;
    }
    if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      // 100, 102, 103: interim (RFC 9110 15.2). The final response follows on this connection;
      // taking the interim one for it would relay a 1xx and leave the client waiting forever.
      interim = true;
      return;
    }
    keepAlive = HttpUtil.isKeepAlive(response);
    x.stream =
        new OriginStream(
            withReasonPhrase(response.status()),
            response.headers().copy(),
            x.requestTimeMillis,
            clock.getAsLong(),
            this);
    x.head.complete(x.stream);
  }

  private void body(ChannelHandlerContext ctx, Exchange x, HttpContent content) {
    if (content.decoderResult().isFailure()) {
      fail(
          ctx,
          new OriginException(
              OriginException.Kind.BAD_RESPONSE,
              "malformed response body from origin " + x.origin,
              content.decoderResult().cause()));
      return;
    }
    if (interim) {
      interim = !(content instanceof LastHttpContent);
      return;
    }
    if (x.stream == null) {
      return;
    }
    x.progress += content.content().readableBytes();
    x.stream.append(content.content());
    if (content instanceof LastHttpContent) {
      current = null;
      x.stream.complete();
      if (keepAlive && ctx.channel().isActive()) {
        ctx.channel().config().setAutoRead(true); // a relay may have paused it at the very end
        pool.release(origin, ctx.channel());
      } else {
        ctx.close();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    pool.forget(origin, ctx.channel());
    if (current != null) {
      fail(
          ctx,
          new OriginException(
              OriginException.Kind.UNREACHABLE,
              "origin " + current.origin + " closed the connection without a complete response",
              null));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (current != null) {
      fail(
          ctx,
          new OriginException(
              OriginException.Kind.UNREACHABLE,
              "origin " + current.origin + " failed mid-response",
              cause));
    }
    ctx.close();
  }

  /** Fails the exchange in flight and closes: what is left on the wire cannot be trusted. */
  void fail(ChannelHandlerContext ctx, OriginException failure) {
    Exchange x = current;
    current = null;
    if (x != null) {
      if (x.stream != null) {
        x.stream.fail(failure);
      } else {
        x.head.completeExceptionally(failure);
      }
    }
    ctx.close();
  }

  // ---- OriginStream.Flow: called from any thread ----

  @Override
  public void pause() {
    channel.config().setAutoRead(false);
  }

  @Override
  public void resume() {
    channel.config().setAutoRead(true);
  }

  @Override
  public void cancel() {
    channel.close();
  }

  /**
   * Tomcat 11 sends status lines without a reason phrase ("HTTP/1.1 201 "). RFC 9112 lets a proxy
   * pass that on, but people reading curl -i expect "201 Created", and Varnish fills in the
   * standard phrase too; an origin's own non-empty phrase is kept.
   */
  private static HttpResponseStatus withReasonPhrase(HttpResponseStatus status) {
    return status.reasonPhrase().isBlank() ? HttpResponseStatus.valueOf(status.code()) : status;
  }
}
