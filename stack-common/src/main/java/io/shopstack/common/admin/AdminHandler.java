package io.shopstack.common.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Serves the admin resources: the two every service has, plus the service's own POST actions.
 * Stateless, so one instance serves every connection.
 */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final String service;
  private final PrometheusMeterRegistry registry;
  private final Supplier<Health> health;
  private final Map<String, AdminAction> actions;
  private final Map<String, AdminPage> pages;
  private final Executor actionThread;

  AdminHandler(
      String service,
      PrometheusMeterRegistry registry,
      Supplier<Health> health,
      Map<String, AdminAction> actions,
      Map<String, AdminPage> pages,
      Executor actionThread) {
    this.service = service;
    this.registry = registry;
    this.health = health;
    this.actions = actions;
    this.pages = pages;
    this.actionThread = actionThread;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    FullHttpResponse response;
    AdminAction action = actions.get(path);
    String under = null;
    if (action == null) {
      under = under(path);
      action =
          under == null
              ? null
              : actions.get(path.substring(0, path.length() - under.length()) + "*");
    }
    if (action != null && request.decoderResult().isSuccess()) {
      if (HttpMethod.POST.equals(request.method())) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        Map<String, String> parameters = parameters(request);
        if (under != null) {
          parameters.put(AdminAction.REST_OF_PATH, under);
        }
        AdminAction chosen = action;
        CompletableFuture.supplyAsync(() -> chosen.run(parameters), actionThread)
            .whenComplete(
                (result, error) ->
                    send(
                        ctx,
                        error == null
                            ? text(
                                HttpResponseStatus.valueOf(result.status()),
                                result.body(),
                                "text/plain")
                            : text(
                                HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                "action failed: " + error.getCause() + "\n",
                                "text/plain"),
                        keepAlive,
                        false));
        return;
      }
      response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST\n", "text/plain");
      response.headers().set(HttpHeaderNames.ALLOW, "POST");
    } else if (!request.decoderResult().isSuccess()) {
      response = text(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request\n", "text/plain");
    } else if (!HttpMethod.GET.equals(request.method())
        && !HttpMethod.HEAD.equals(request.method())) {
      response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n", "text/plain");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
    } else if (path.equals("/health")) {
      Health h = health.get();
      String body =
          "{\"status\":\""
              + (h.isUp() ? "UP" : "DOWN")
              + "\",\"service\":\""
              + service
              + "\",\"detail\":\""
              + h.detail().replace("\"", "'")
              + "\"}\n";
      response =
          text(
              h.isUp() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
              body,
              "application/json");
    } else if (path.equals("/metrics")) {
      response =
          text(
              HttpResponseStatus.OK, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8");
    } else if (pages.containsKey(path)) {
      AdminAction.Result page = pages.get(path).render(parameters(request));
      response =
          text(
              HttpResponseStatus.valueOf(page.status()),
              page.body(),
              "application/json; charset=utf-8");
    } else {
      response = text(HttpResponseStatus.NOT_FOUND, "try /health or /metrics\n", "text/plain");
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    send(ctx, response, keepAlive, HttpMethod.HEAD.equals(request.method()));
  }

  /**
   * What follows the longest prefix ending in '/' that an action takes whole ({@code /backends/*}
   * for {@code /backends/www/10.0.0.1:80/drain}), or null when none does.
   */
  private String under(String path) {
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      if (actions.containsKey(path.substring(0, slash + 1) + "*")) {
        String rest = path.substring(slash + 1);
        return rest.isEmpty() ? null : rest;
      }
    }
    return null;
  }

  /** The request's query parameters, the first value of each. */
  private static Map<String, String> parameters(FullHttpRequest request) {
    Map<String, String> parameters = new HashMap<>();
    new QueryStringDecoder(request.uri())
        .parameters()
        .forEach((name, values) -> parameters.put(name, values.get(0)));
    return parameters;
  }

  private static void send(
      ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean head) {
    HttpUtil.setKeepAlive(response, keepAlive);
    if (head) {
      response.content().clear();
    }
    var write = ctx.writeAndFlush(response);
    if (!keepAlive) {
      write.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
    var response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
