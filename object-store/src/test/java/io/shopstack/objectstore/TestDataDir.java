package io.shopstack.objectstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One throw-away data dir per test JVM, so each run starts from an empty disk. An initializer (not
 * a per-class DynamicPropertySource) keeps the context cache key equal across test classes.
 */
class TestDataDir implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("object-store-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    TestPropertyValues.of("object-store.data-dir=" + DIR).applyTo(context);
  }
}
