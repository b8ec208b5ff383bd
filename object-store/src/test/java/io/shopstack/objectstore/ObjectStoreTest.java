package io.shopstack.objectstore;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole store on a random port of 127.0.0.1 with a small body limit; test classes carrying this
 * annotation share one application context (and one temp data dir, see TestDataDir).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      ObjectStoreApplication.CONFIG,
      "server.address=127.0.0.1",
      "management.server.address=127.0.0.1",
      "object-store.instance=object-store-test",
      "object-store.max-object-size=256KB",
      "object-store.virtual-hosts.domains=s3.test"
    })
@ContextConfiguration(initializers = TestDataDir.class)
public @interface ObjectStoreTest {}
