package io.shopstack.edge.origin;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The end of an origin connection's pipeline: turns the one aggregated response into an {@link
 * OriginResponse} and completes the fetch. Every other ending (close, reset, oversized or garbled
 * response) fails the fetch instead, so the client always gets an answer.
 */
final class OriginResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
  private final CompletableFuture<OriginResponse> result;
  private final long requestTimeMillis;
  private final LongSupplier clock;
  private final String origin;

  OriginResponseHandler(
      CompletableFuture<OriginResponse> result,
      long requestTimeMillis,
      LongSupplier clock,
      String origin) {
    this.result = result;
    this.requestTimeMillis = requestTimeMillis;
    this.clock = clock;
    this.origin = origin;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
    if (response.decoderResult().isSuccess()
        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      // 100, 102, 103: interim (RFC 9110 15.2). The final response follows on this connection;
      // taking the interim one for it would relay a 1xx and leave the client waiting forever.
      // The hints are dropped: the whole response is buffered, so they would arrive too late.
      return;
    }
    if (!response.decoderResult().isSuccess()) {
      fail(
          OriginException.Kind.BAD_RESPONSE,
          "malformed response from origin " + origin,
          response.decoderResult().cause());
    } else {
      result.complete(
          new OriginResponse(
              withReasonPhrase(response.status()),
              response.headers().copy(),
              ByteBufUtil.getBytes(response.content()),
              requestTimeMillis,
              clock.getAsLong()));
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(
        OriginException.Kind.UNREACHABLE,
        "origin " + origin + " closed the connection without a complete response",
        null);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      fail(
          OriginException.Kind.BAD_RESPONSE,
          "response from origin " + origin + " is too large to relay",
          cause);
    } else {
      fail(OriginException.Kind.UNREACHABLE, "origin " + origin + " failed mid-response", cause);
    }
    ctx.close();
  }

  private void fail(OriginException.Kind kind, String message, Throwable cause) {
    result.completeExceptionally(new OriginException(kind, message, cause));
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
