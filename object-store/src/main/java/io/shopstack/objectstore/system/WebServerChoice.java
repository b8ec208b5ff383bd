package io.shopstack.objectstore.system;

import io.shopstack.objectstore.addressing.VirtualHostAddressing;
import io.shopstack.objectstore.object.PublicReadFastPath;
import io.shopstack.objectstore.sendfile.FileBody;
import org.eclipse.jetty.ee11.servlet.ServletHandler;
import org.eclipse.jetty.http.UriCompliance;
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

  /**
   * S3 keys may contain {@code %} (sent as {@code %25}), {@code /} sent as {@code %2F}, empty
   * segments ({@code a//b}) and backslashes, which Jetty's default URI rules refuse with 400 before
   * the store sees the request ({@code aws s3api put-object --key '100%'} failed). Dot segments,
   * encoded or not, stay refused: ObjectKey refuses them as keys too.
   */
  private static final UriCompliance S3_KEYS =
      UriCompliance.DEFAULT.with(
          "S3_KEYS",
          UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
          UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
          UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
          UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS);

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
              http.getHttpConfiguration().setUriCompliance(S3_KEYS);
              headerSectionLimit = http.getHttpConfiguration().getRequestHeaderSize();
            }
          }
          // what Jetty refuses before the application sees it is answered in S3 XML too
          server.setErrorHandler(new ContainerErrors(stamp, headerSectionLimit));
          // ...and the servlet layer decodes such a path instead of refusing it once more
          server
              .getDescendants(ServletHandler.class)
              .forEach(servlets -> servlets.setDecodeAmbiguousURIs(true));
          // the CDN edges' unsigned image GETs skip Spring MVC and go out with sendfile
          FileBody.install(server);
          server.setHandler(fastPath.wrap(server.getHandler()));
          // <bucket>.<domain> requests become path-style before anything else sees them
          server.setHandler(virtualHosts.wrap(server.getHandler()));
        });
    return factory;
  }
}
