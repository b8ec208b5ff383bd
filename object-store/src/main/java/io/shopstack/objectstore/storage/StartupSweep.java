package io.shopstack.objectstore.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a crash can leave behind before the store serves anything: partial uploads in {@code
 * .tmp/} and blobs that no sidecar names (an upload that died between its two renames).
 */
final class StartupSweep {

  interface SidecarReader {
    Optional<StoredObject> read(Path sidecar) throws IOException;
  }

  private static final Logger log = LoggerFactory.getLogger(StartupSweep.class);

  private final DiskLayout layout;
  private final SidecarReader sidecars;

  StartupSweep(DiskLayout layout, SidecarReader sidecars) {
    this.layout = layout;
    this.sidecars = sidecars;
  }

  void run() throws IOException {
    Files.createDirectories(layout.root());
    BucketStorage.deleteTree(layout.tmp());
    Files.createDirectories(layout.tmp());
    int removed = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.root())) {
      for (Path bucket : dirs) {
        if (!bucket.getFileName().toString().startsWith(".")
            && Files.isDirectory(bucket.resolve("objects"))) {
          removed += sweepBucket(bucket);
        }
      }
    }
    if (removed > 0) {
      log.info("Removed {} unreferenced blob(s) left by interrupted uploads", removed);
    }
  }

  private int sweepBucket(Path bucket) throws IOException {
    Set<String> referenced = new HashSet<>();
    try (DirectoryStream<Path> objects = Files.newDirectoryStream(bucket.resolve("objects"))) {
      for (Path sidecar : objects) {
        sidecars.read(sidecar).ifPresent(object -> referenced.add(object.blob()));
      }
    }
    int removed = 0;
    Path blobs = bucket.resolve("blobs");
    if (!Files.isDirectory(blobs)) {
      return 0;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(blobs)) {
      for (Path blob : files) {
        if (!referenced.contains(blob.getFileName().toString())) {
          Files.deleteIfExists(blob);
          removed++;
        }
      }
    }
    return removed;
  }
}
