package io.shopstack.objectstore;

import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The AWS SDK v2 client of one test class against the store under test, and the seeded bytes the
 * tests upload. Registered as {@code @RegisterExtension static final StoreSdk sdk = new StoreSdk()}
 * on an {@link ObjectStoreTest} class: the client is built on first use (as SDK users configure it,
 * {@link SignedHttp#sdkClient}) and closed after the class, so no test class keeps its own.
 */
final class StoreSdk implements BeforeAllCallback, AfterAllCallback {

  private int port;
  private S3Client client;

  /** The store's port, from the Spring context the class runs against (cached, shared). */
  @Override
  public void beforeAll(ExtensionContext context) {
    port =
        SpringExtension.getApplicationContext(context)
            .getEnvironment()
            .getRequiredProperty("local.server.port", Integer.class);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  S3Client s3() {
    if (client == null) {
      client = SignedHttp.sdkClient(port);
    }
    return client;
  }

  /**
   * A client configured otherwise than the SDK's defaults (its checksum behaviour, say), against
   * the same store; the caller closes it.
   */
  S3Client client(Consumer<S3ClientBuilder> settings) {
    return SignedHttp.sdkClient(port, settings);
  }

  /** {@code size} bytes that are the same for the same seed, so a failure repeats. */
  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
