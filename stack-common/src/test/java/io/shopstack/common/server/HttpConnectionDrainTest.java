package io.shopstack.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a stopping HTTP/1.1 connection sends and when it closes, byte for byte, without sockets. */
class HttpConnectionDrainTest {
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new HttpServerCodec(), new HttpConnectionDrain());

  @AfterEach
  void releaseEverything() {
    channel.finishAndReleaseAll();
  }

  private void receive(String bytes) {
    channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
  }

  private String respond(HttpResponseStatus status, String body) {
    DefaultFullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
    channel.writeOutbound(response);
    StringBuilder out = new StringBuilder();
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      out.append(buf.toString(StandardCharsets.US_ASCII));
      buf.release();
    }
    return out.toString();
  }

  private void stop() {
    channel.pipeline().fireUserEventTriggered(ShutdownRequested.INSTANCE);
    channel.runPendingTasks();
  }

  @Test
  void aConnectionBetweenRequestsIsClosedAtOnce() {
    receive("GET /a HTTP/1.1\r\nHost: shop\r\n\r\n");
    assertThat(respond(HttpResponseStatus.OK, "a")).doesNotContain("connection: close");

    stop();

    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void anUploadInProgressGetsItsFinalResponseWithConnectionCloseThenTheConnectionCloses() {
    receive(
        "POST /upload HTTP/1.1\r\nHost: shop\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    stop();
    assertThat(channel.isOpen()).as("the request has begun").isTrue();

    assertThat(respond(HttpResponseStatus.CONTINUE, ""))
        .startsWith("HTTP/1.1 100 Continue")
        .doesNotContain("connection");
    assertThat(channel.isOpen()).as("a 100 Continue is not the answer").isTrue();
    receive("body");

    assertThat(respond(HttpResponseStatus.CREATED, "ok"))
        .isEqualTo("HTTP/1.1 201 Created\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void pipelinedRequestsAfterTheClosingResponseStayUnanswered() {
    receive("GET /a HTTP/1.1\r\nHost: shop\r\n\r\nGET /b HTTP/1.1\r\nHost: shop\r\n\r\n");
    stop();

    assertThat(respond(HttpResponseStatus.OK, "a")).contains("connection: close");
    channel.runPendingTasks();

    assertThat(channel.isOpen()).as("closed after the first response").isFalse();
  }
}
