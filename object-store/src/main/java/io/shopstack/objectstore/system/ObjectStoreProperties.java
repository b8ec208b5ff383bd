package io.shopstack.objectstore.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The object store's own settings ({@code object-store.*} in {@code object-store.yml}).
 *
 * @param instance name sent in {@code X-Served-By}, so a response says which origin answered
 * @param dataDir root of the on-disk layout (see {@code storage.DiskLayout})
 * @param maxObjectSize largest object body accepted; larger uploads get 413 EntityTooLarge
 */
@ConfigurationProperties("object-store")
public record ObjectStoreProperties(String instance, Path dataDir, DataSize maxObjectSize) {

  public ObjectStoreProperties {
    if (instance == null || instance.isBlank()) {
      throw new IllegalArgumentException("object-store.instance must be set");
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("object-store.data-dir must be set");
    }
    if (maxObjectSize == null || maxObjectSize.toBytes() <= 0) {
      throw new IllegalArgumentException("object-store.max-object-size must be positive");
    }
  }
}
