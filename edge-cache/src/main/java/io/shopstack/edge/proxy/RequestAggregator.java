package io.shopstack.edge.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Collects a request and its body, up to the configured limit. Netty's aggregator answers an
 * oversized request itself, with an empty 413; this one instead passes a failed request down the
 * pipeline, so the 413 carries a body that says why and leaves in order behind any earlier
 * pipelined response.
 */
final class RequestAggregator extends HttpObjectAggregator {
  RequestAggregator(int maxRequestBodyBytes) {
    super(maxRequestBodyBytes);
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
