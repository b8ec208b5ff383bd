package io.shopstack.objectstore;

import java.util.Map;
import org.springframework.boot.Banner;
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
 * <p>Runs on its own ({@link #main}) in Docker, or embedded ({@link #start}) when the local
 * topology puts it and every other service into one JVM; either way configured by {@link #CONFIG}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ObjectStoreApplication {

  /**
   * Its configuration file, chosen the way the Netty services choose theirs: {@code
   * object-store.yml} from the jar, or the file {@code --config=FILE} or {@code SHOP_CONFIG=FILE}
   * names. Never {@code application.yml}: in the local topology's one JVM each Spring service would
   * read whichever one comes first on the shared class path.
   */
  public static final String CONFIG =
      "spring.config.location=${config:${SHOP_CONFIG:classpath:/object-store.yml}}";

  public static void main(String[] args) {
    new SpringApplicationBuilder(ObjectStoreApplication.class)
        .bannerMode(Banner.Mode.OFF)
        .properties(CONFIG)
        .run(args);
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
        .properties(CONFIG)
        .registerShutdownHook(false)
        .run();
  }
}
