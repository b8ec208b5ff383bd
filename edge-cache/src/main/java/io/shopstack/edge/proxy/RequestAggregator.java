package io.shopstack.edge.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Collects a request and its body, up to the configured limit. Netty's aggregator answers an
 * oversized request itself, with an empty 413; this one instead passes a failed request down the
 * pipeline, so the 413 carries a body that says why and leaves in order behind any earlier
 * pipelined response.
 */
final class RequestAggregator extends HttpObjectAggregator {
  /** A request without a body, waiting for the decoder's end marker that follows it. */
  private FullHttpRequest bodiless;

  RequestAggregator(int maxRequestBodyBytes) {
    super(maxRequestBodyBytes);
  }

  /**
   * A GET or HEAD without a body (most requests) is handed on as it is, without the composite
   * buffer and copy the aggregator would build around no content. Anything else, or anything
   * unexpected after such a head, takes the aggregator's own path.
   */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (bodiless != null) {
      FullHttpRequest request = bodiless;
      bodiless = null;
      if (msg == LastHttpContent.EMPTY_LAST_CONTENT) {
        ctx.fireChannelRead(request);
        return;
      }
      super.channelRead(
          ctx,
          new DefaultHttpRequest(
              request.protocolVersion(), request.method(), request.uri(), request.headers()));
    }
    if (msg instanceof HttpRequest request
        && !(msg instanceof HttpContent)
        && request.decoderResult().isSuccess()
        && !request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
        && !request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
        && !request.headers().contains(HttpHeaderNames.EXPECT)) {
      bodiless =
          new DefaultFullHttpRequest(
              request.protocolVersion(),
              request.method(),
              request.uri(),
              Unpooled.EMPTY_BUFFER,
              request.headers(),
              EmptyHttpHeaders.INSTANCE);
      return;
    }
    super.channelRead(ctx, msg);
  }

  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    if (HttpUtil.is100ContinueExpected(start)
        && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
      return null; // answered by handleOversizedMessage with a final 413 instead of 100 Continue
    }
    return super.newContinueResponse(start, maxContentLength, pipeline);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized)
      throws Exception {
    if (!(oversized instanceof HttpRequest request)) {
      super.handleOversizedMessage(ctx, oversized);
      return;
    }
    // The aggregator releases `oversized` after this call: hand on a copy of its head.
    DefaultFullHttpRequest tooLarge =
        new DefaultFullHttpRequest(
            request.protocolVersion(),
            request.method(),
            request.uri(),
            Unpooled.EMPTY_BUFFER,
            request.headers().copy(),
            HttpHeaders.EMPTY_HEADERS);
    tooLarge.setDecoderResult(
        DecoderResult.failure(
            new RequestTooLargeException(
                "request body larger than " + maxContentLength() + " bytes")));
    ctx.fireChannelRead(tooLarge);
  }

  /** Why a request was cut off; the handler turns it into 413. */
  static final class RequestTooLargeException extends RuntimeException {
    RequestTooLargeException(String message) {
      super(message, null, false, false);
    }
  }
}
