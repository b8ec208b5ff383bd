package io.shopstack.objectstore.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cached sidecar is served only while the file on disk is the very one it was read from. */
class SidecarCacheTests {

  @TempDir Path dir;

  private final AtomicInteger reads = new AtomicInteger();
  private final SidecarCache cache =
      new SidecarCache(
          path -> {
            reads.incrementAndGet();
            String etag = Files.readString(path);
            return new StoredObject("k", 1, etag, Instant.EPOCH, "blob-" + etag, null);
          });

  @Test
  void aSecondReadOfTheSameFileIsServedFromMemory() throws IOException {
    Path sidecar = commit("aaaa");

    assertThat(cache.read(sidecar)).map(StoredObject::etag).hasValue("aaaa");
    assertThat(cache.read(sidecar)).map(StoredObject::etag).hasValue("aaaa");
    assertThat(reads).hasValue(1);
  }

  @Test
  void aCommitRenamedOverTheSidecarIsSeenEvenWithTheSameSizeAndTime() throws IOException {
    Path sidecar = commit("aaaa");
    FileTime time = Files.getLastModifiedTime(sidecar);
    assertThat(cache.read(sidecar)).map(StoredObject::etag).hasValue("aaaa");

    commit("bbbb"); // same size; a new file (inode) renamed over the old one
    Files.setLastModifiedTime(sidecar, time);

    assertThat(cache.read(sidecar)).map(StoredObject::etag).hasValue("bbbb");
    assertThat(reads).hasValue(2);
  }

  @Test
  void aDeletedSidecarIsNoObject() throws IOException {
    Path sidecar = commit("aaaa");
    assertThat(cache.read(sidecar)).isPresent();

    Files.delete(sidecar);

    assertThat(cache.read(sidecar)).isEmpty();
  }

  /** Writes {@code etag} as the sidecar the way ObjectStorage commits: a new file, renamed. */
  private Path commit(String etag) throws IOException {
    Path next = Files.createTempFile(dir, "next", ".json");
    Files.writeString(next, etag);
    return Files.move(
        next,
        dir.resolve("k.json"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
