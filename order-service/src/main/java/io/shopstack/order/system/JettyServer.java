package io.shopstack.order.system;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The order service always runs on Jetty, the container that reads the SLB's PROXY protocol header.
 * Declared, not left to the class path: in the local topology's single JVM the object store's
 * Tomcat is on the class path too, and Spring Boot would pick Tomcat first. The management port's
 * child context takes the same container type from this bean.
 */
@Configuration(proxyBeanMethods = false)
class JettyServer {
  @Bean
  JettyServletWebServerFactory jettyServletWebServerFactory() {
    return new JettyServletWebServerFactory();
  }
}
