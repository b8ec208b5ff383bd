package io.shopstack.order;

import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;

/**
 * The shop application behind the SLB: takes the purchase order ({@code POST /purchaseOrder}) and
 * serves the product pages the data-centre cache fronts.
 *
 * <p>Runs on its own ({@link #main}) in Docker, or embedded ({@link #start}) when the local
 * topology puts two instances and every other service into one JVM; either way configured by {@link
 * #CONFIG}.
 */
// Jetty (the pom leaves Tomcat out), the container that reads the SLB's PROXY protocol header;
// the object store runs on Jetty too, so the local topology's one class path holds one container.
@SpringBootApplication
@ConfigurationPropertiesScan
public class OrderServiceApplication {

  /**
   * Its configuration file, chosen the way the Netty services choose theirs: {@code
   * order-service.yml} from the jar, or the file {@code --config=FILE} or {@code SHOP_CONFIG=FILE}
   * names. Never {@code application.yml}: in the local topology's one JVM each Spring service would
   * read whichever one comes first on the shared class path.
   */
  public static final String CONFIG =
      "spring.config.location=${config:${SHOP_CONFIG:classpath:/order-service.yml}}";

  public static void main(String[] args) {
    new SpringApplicationBuilder(OrderServiceApplication.class)
        .bannerMode(Banner.Mode.OFF)
        .properties(CONFIG)
        .run(args);
  }

  /**
   * Starts one instance inside a JVM the caller owns. {@code properties} win over order-service.yml
   * and the environment, e.g. {@code server.address}, {@code server.port}, {@code shop.instance},
   * {@code management.server.port}, {@code spring.datasource.url}, or the {@code SHOP_*} variables
   * order-service.yml reads. The caller closes the returned context; no shutdown hook is
   * registered.
   *
   * <p>Logging stays with the host: Spring's logging system would reconfigure Logback for the whole
   * JVM on every start and clean it up on every close, under the other services' feet.
   */
  public static ConfigurableApplicationContext start(Map<String, Object> properties) {
    SpringApplication application =
        new SpringApplicationBuilder(OrderServiceApplication.class)
            .bannerMode(Banner.Mode.OFF)
            .properties(CONFIG)
            .registerShutdownHook(false)
            .build();
    application.setListeners(
        application.getListeners().stream()
            .filter(listener -> !(listener instanceof LoggingApplicationListener))
            .toList());
    application.addListeners(new EmbeddedProperties(properties));
    return application.run();
  }

  /** Puts the caller's properties in front of every other property source. */
  private record EmbeddedProperties(Map<String, Object> properties)
      implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    EmbeddedProperties {
      properties = Map.copyOf(properties);
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
      event
          .getEnvironment()
          .getPropertySources()
          .addFirst(new MapPropertySource("embeddedProperties", properties));
    }

    @Override
    public int getOrder() {
      // Before config data is loaded, so even spring.config.* can be given here.
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }
}
