package io.shopstack.order.purchase;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link OrderFastPath} in front of the servlet context on the order listener (the management
 * port is a child context with a server of its own, untouched). Spring Boot wraps the server's
 * handler in the StatisticsHandler that counts requests in flight for the graceful stop after the
 * customizers ran, so a stop waits for fast-path orders too.
 *
 * <p>{@code shop.fast-path=false} leaves every request to Spring MVC (the reference the fast path
 * is compared with).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "shop.fast-path", matchIfMissing = true)
class OrderFastPathInFront {

  @Bean
  static WebServerFactoryCustomizer<JettyServletWebServerFactory> orderFastPathInFrontOfMvc(
      ObjectProvider<OrderFastPath> fastPath) {
    return factory ->
        factory.addServerCustomizers(
            server -> server.setHandler(new Lazy(fastPath, server.getHandler())));
  }

  /**
   * Takes the fast path from the context at the first request: the web server is made before the
   * controller, the repository and the database behind them, and must not pull them forward.
   */
  private static final class Lazy extends Handler.Wrapper {

    private final ObjectProvider<OrderFastPath> provider;
    private volatile OrderFastPath fastPath;

    Lazy(ObjectProvider<OrderFastPath> provider, Handler next) {
      super(next);
      this.provider = provider;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      OrderFastPath orders = fastPath;
      if (orders == null) {
        orders = provider.getObject();
        fastPath = orders;
      }
      return orders.serve(request, response, callback, getHandler());
    }
  }
}
