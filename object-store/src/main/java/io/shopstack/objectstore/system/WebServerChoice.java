package io.shopstack.objectstore.system;

import io.shopstack.objectstore.addressing.VirtualHostAddressing;
import io.shopstack.objectstore.object.PublicReadFastPath;
import io.shopstack.objectstore.sendfile.FileBody;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The store always runs on Jetty, also inside the local topology's one JVM where order-service puts
 * Tomcat on the class path too (Spring Boot would prefer Tomcat there). Tomcat's interim {@code
 * HTTP/1.1 100 } has no reason phrase, and botocore before its 2025 fix treats that as the final
 * response: every upload from Debian's boto3, aws and s3cmd broke on it.
 */
@Configuration(proxyBeanMethods = false)
class WebServerChoice {

  @Bean
  JettyServletWebServerFactory jettyServletWebServerFactory(
      PublicReadFastPath fastPath, VirtualHostAddressing virtualHosts, ResponseStamp stamp) {
    JettyServletWebServerFactory factory = new JettyServletWebServerFactory();
    // Jetty's header cache otherwise hands back its own spelling of common values
    // ("charset=utf-8" for the "charset=UTF-8" the client sent), and SigV4 signs the exact bytes.
    factory.addServerCustomizers(
        server -> {
          int headerSectionLimit = 0;
          for (Connector connector : server.getConnectors()) {
            HttpConnectionFactory http =
                connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
              http.getHttpConfiguration().setHeaderCacheCaseSensitive(true);
              headerSectionLimit = http.getHttpConfiguration().getRequestHeaderSize();
            }
          }
          // what Jetty refuses before the application sees it is answered in S3 XML too
          server.setErrorHandler(new ContainerErrors(stamp, headerSectionLimit));
          // the CDN edges' unsigned image GETs skip Spring MVC and go out with sendfile
          FileBody.install(server);
          server.setHandler(fastPath.wrap(server.getHandler()));
          // <bucket>.<domain> requests become path-style before anything else sees them
          server.setHandler(virtualHosts.wrap(server.getHandler()));
        });
    return factory;
  }
}
