package io.shopstack.order.system;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code shop.proxy-protocol=true}, the order listener accepts only connections that start
 * with a PROXY protocol header (v2 as the SLB sends it, or v1), so the address stored with an order
 * is the phone's, not the SLB's.
 *
 * <p>Jetty parses the header itself ({@link RequiredProxyHeader}) and hands the servlet API the
 * address it carries, so {@code getRemoteAddr()} needs no header trust rules. The customizer lives
 * in the application context only: the actuator's management port is a child context with its own
 * server, so health checks and scrapes still speak plain HTTP.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("shop.proxy-protocol")
class ProxyProtocolListener {

  /**
   * Typed on any servlet server so that another container picked by the class path (the local
   * topology's one JVM also holds the object store's Tomcat) fails the start instead of silently
   * serving without the header and storing the SLB's address.
   */
  @Bean
  WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> acceptProxyProtocol() {
    return factory -> {
      if (!(factory instanceof JettyServletWebServerFactory jetty)) {
        throw new IllegalStateException(
            "shop.proxy-protocol=true needs Jetty, but the server is "
                + factory.getClass().getSimpleName());
      }
      jetty.addServerCustomizers(
          server -> {
            for (Connector connector : server.getConnectors()) {
              if (connector instanceof ServerConnector listener) {
                listener.addFirstConnectionFactory(new RequiredProxyHeader());
              }
            }
          });
    };
  }
}
