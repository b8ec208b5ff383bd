package io.shopstack.common.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * How an HTTP/1.1 server connection ends when its server stops (RFC 9112, section 9.6): on {@link
 * ShutdownRequested} a connection with no request in progress is closed at once; one with a request
 * in progress gets its response with {@code Connection: close} and is closed after it, further
 * pipelined requests unanswered. One per connection, right after the {@code HttpServerCodec}, so it
 * sees a request from its first line (a request still uploading its body is in progress) and every
 * response as it leaves.
 */
public final class HttpConnectionDrain extends ChannelDuplexHandler {
  private int unanswered; // requests begun whose final response has not been fully written
  private boolean interim; // the response being written is a 1xx, not the final one
  private boolean stopping;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      unanswered++;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == ShutdownRequested.INSTANCE) {
      stopping = true;
      if (unanswered == 0) {
        ctx.close();
      }
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response) {
      // A 100 Continue leaves before the final response to the same request.
      interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      if (stopping && !interim) {
        HttpUtil.setKeepAlive(response, false);
      }
    }
    if (msg instanceof LastHttpContent && !interim) {
      unanswered = Math.max(0, unanswered - 1);
      if (stopping) {
        ctx.write(msg, promise.unvoid()).addListener(ChannelFutureListener.CLOSE);
        return;
      }
    }
    ctx.write(msg, promise);
  }
}
