package io.shopstack.objectstore;

import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The object store: the origin the CDN edges fetch product images from, speaking the path-style S3
 * API over plain HTTP.
 *
 * <p>Its configuration file is {@code object-store.yml}, not {@code application.yml}: the local
 * topology runs every service in one JVM, and two Spring Boot services would otherwise read
 * whichever {@code application.yml} comes first on the shared class path.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ObjectStoreApplication {

  /** Names the configuration file; see the class comment. */
  public static final String CONFIG_NAME = "spring.config.name=object-store";

  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(ObjectStoreApplication.class);
    application.setBannerMode(Banner.Mode.OFF);
    application.setDefaultProperties(Map.of("spring.config.name", "object-store"));
    application.run(args);
  }

  /**
   * Starts the object store inside a larger JVM (the local topology). {@code properties} win over
   * everything else, so they may set Spring properties ({@code server.port}) as well as the
   * standard variables the configuration file reads ({@code SHOP_BIND}, {@code SHOP_INSTANCE},
   * {@code SHOP_OBJECT_PORT}, {@code SHOP_ADMIN_PORT}, {@code SHOP_DATA_DIR}). The caller closes
   * the returned context.
   */
  public static ConfigurableApplicationContext start(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("object-store-embedding", Map.copyOf(properties)));
    return new SpringApplicationBuilder(ObjectStoreApplication.class)
        .environment(environment)
        .bannerMode(Banner.Mode.OFF)
        .properties(CONFIG_NAME)
        .registerShutdownHook(false)
        .run();
  }
}
