package io.shopstack.objectstore.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One store per data directory, as MinIO refuses a second server on a drive it already serves. Two
 * stores on one directory would each sweep, at start, the blobs and {@code .tmp/} files of the
 * other's uploads in progress (an upload is unreferenced between its two renames), so an object
 * could lose its content. The lock is the operating system's ({@code fcntl}) on {@code
 * {data-dir}/.lock}: it goes with the process, {@code kill -9} included, so a crash never leaves a
 * stale lock to clear by hand. The file holds the owner's pid for the message a second store
 * prints.
 */
@Component
public class DataDirectoryLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DataDirectoryLock.class);

  static final String FILE = ".lock";

  private final FileChannel channel;
  private final FileLock lock;

  DataDirectoryLock(DiskLayout layout) throws IOException {
    Path root = layout.root();
    Files.createDirectories(root);
    Path file = root.resolve(FILE);
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock taken;
    try {
      taken = channel.tryLock();
    } catch (OverlappingFileLockException sameJvm) {
      taken = null; // another store in this JVM holds it
    }
    if (taken == null) {
      // Latin-1 decodes any bytes: a damaged pid file must not hide the real message.
      String owner = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
      channel.close();
      throw new IllegalStateException(
          "data directory "
              + root
              + " is in use by another object store"
              + (owner.isEmpty() ? "" : " (pid " + owner + ")")
              + "; two stores on one directory would delete each other's uploads in progress");
    }
    lock = taken;
    String pid = String.valueOf(ProcessHandle.current().pid());
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(pid.getBytes(StandardCharsets.ISO_8859_1)), 0);
    log.info("data directory {} locked ({})", root, file);
  }

  @Override
  public void close() throws IOException {
    // Released before the channel closes, so a store started next in this JVM can take it.
    lock.release();
    channel.close();
  }
}
