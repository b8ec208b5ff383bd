package io.shopstack.slb.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One probe of one backend: a TCP connect, or an HTTP/1.0 {@code GET} whose status line is read and
 * compared. Completes with null on a pass, or with the reason it failed ("connection refused",
 * "HTTP 503", "timeout after 1000 ms"): the reason goes into the log line and the health history.
 * The probe's connection is closed in every case, by the timeout if nothing else.
 */
final class HealthProbe {
  private static final int MAX_STATUS_LINE = 512;

  private final HealthCheck check;
  private final Class<? extends SocketChannel> channelType;

  HealthProbe(HealthCheck check, Class<? extends SocketChannel> channelType) {
    this.check = check;
    this.channelType = channelType;
  }

  Promise<String> run(EventLoop loop, InetSocketAddress backend) {
    Promise<String> outcome = loop.newPromise();
    InetSocketAddress target =
        check.port() == 0 ? backend : new InetSocketAddress(backend.getAddress(), check.port());
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(channelType)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, check.timeoutMillis())
            .handler(
                check.type().equals("http")
                    ? new StatusLineReader(check.expectStatus(), outcome)
                    : new ChannelInboundHandlerAdapter());
    bootstrap
        .connect(target)
        .addListener(
            (ChannelFutureListener)
                connected -> {
                  if (!connected.isSuccess()) {
                    outcome.trySuccess(reason(connected.cause()));
                    return;
                  }
                  Channel channel = connected.channel();
                  outcome.addListener(done -> channel.close());
                  if (check.type().equals("tcp")) {
                    outcome.trySuccess(null);
                  } else {
                    channel.writeAndFlush(request(target));
                  }
                });
    var timeout =
        loop.schedule(
            () -> outcome.trySuccess("timeout after " + check.timeoutMillis() + " ms"),
            check.timeoutMillis(),
            TimeUnit.MILLISECONDS);
    outcome.addListener(done -> timeout.cancel(false));
    return outcome;
  }

  private ByteBuf request(InetSocketAddress target) {
    // HTTP/1.0 and Connection: close: the backend ends the response by closing, and no check
    // connection lingers in its keep-alive pool.
    String text =
        "GET "
            + check.path()
            + " HTTP/1.0\r\nHost: "
            + target.getHostString()
            + ":"
            + target.getPort()
            + "\r\nUser-Agent: shop-slb-check\r\nConnection: close\r\n\r\n";
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }

  private static String reason(Throwable cause) {
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  /** Reads up to the end of the status line and judges the status code. */
  private static final class StatusLineReader extends ChannelInboundHandlerAdapter {
    private final int expected;
    private final Promise<String> outcome;
    private final StringBuilder line = new StringBuilder();

    StatusLineReader(int expected, Promise<String> outcome) {
      this.expected = expected;
      this.outcome = outcome;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof ByteBuf buf) {
          while (buf.isReadable() && line.length() < MAX_STATUS_LINE) {
            char c = (char) buf.readByte();
            if (c == '\n') {
              outcome.trySuccess(judge(line.toString().trim()));
              return;
            }
            line.append(c);
          }
          if (line.length() >= MAX_STATUS_LINE) {
            outcome.trySuccess("status line too long");
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private String judge(String statusLine) {
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        return "not an HTTP response: " + statusLine;
      }
      return parts[1].equals(Integer.toString(expected)) ? null : "HTTP " + parts[1];
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      outcome.trySuccess("closed before a status line");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      outcome.trySuccess(reason(cause));
      ctx.close();
    }
  }
}
