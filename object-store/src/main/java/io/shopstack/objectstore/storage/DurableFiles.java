package io.shopstack.objectstore.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The two file-system moves every durable write here is made of: fsync the data, then rename it
 * into place and fsync the directory, so after a crash a name points at complete content or at
 * nothing.
 */
final class DurableFiles {

  private DurableFiles() {}

  static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** Renames {@code source} over {@code target} atomically and makes the rename durable. */
  static void publish(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(target.getParent());
  }

  /**
   * Makes the directory's entries (renames, creations, deletions) durable. A failing fsync fails
   * the request: acknowledging a write the disk may forget is the one thing this store must not do.
   * Only a platform that cannot open directories at all (not Linux) is let through.
   */
  static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (UnsupportedOperationException e) {
      // no directory handles on this platform: the rename is as durable as it gets here
    }
  }
}
