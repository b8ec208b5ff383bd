package io.shopstack.edge.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.shopstack.common.server.Transport;
import io.shopstack.edge.support.OriginFixture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One fetch against a real origin, and the request body released whatever happens. */
class OriginClientTest {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, Transport.preferred().ioHandlerFactory());
  private final OriginClient client = new OriginClient(500, 1000, 4096, System::currentTimeMillis);

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static DefaultFullHttpRequest post(ByteBuf body) {
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/products/1", body);
    request.headers().set("Host", "shop").setInt("Content-Length", body.readableBytes());
    return request;
  }

  @Test
  void fetchesAResponseAndReleasesTheRequestBody() throws Exception {
    try (OriginFixture origin = new OriginFixture("origin")) {
      ByteBuf body = Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8);
      Origin target = new Origin("fixture", new InetSocketAddress("127.0.0.1", origin.port()));

      OriginResponse response =
          client.fetch(target, post(body), group.next()).get(5, TimeUnit.SECONDS);

      assertThat(response.status().code()).isEqualTo(200);
      assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("posted 2 bytes");
      assertThat(response.responseTimeMillis())
          .isGreaterThanOrEqualTo(response.requestTimeMillis());
      assertThat(body.refCnt()).isZero();
    }
  }

  @Test
  void aRefusedConnectionFailsAsUnreachableAndReleasesTheRequestBody() throws Exception {
    int port;
    try (ServerSocket reserved = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = reserved.getLocalPort();
    }
    ByteBuf body = Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8);
    Origin dead = new Origin("dead", new InetSocketAddress("127.0.0.1", port));

    assertThatThrownBy(() -> client.fetch(dead, post(body), group.next()).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            OriginException.class,
            e -> assertThat(e.kind()).isEqualTo(OriginException.Kind.UNREACHABLE));
    assertThat(body.refCnt()).isZero();
  }
}
