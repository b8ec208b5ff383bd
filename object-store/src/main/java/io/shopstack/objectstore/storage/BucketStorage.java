package io.shopstack.objectstore.storage;

import io.shopstack.objectstore.system.S3Error;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/** Buckets are directories under the data dir; see DiskLayout. */
@Component
public class BucketStorage {

  public record Bucket(String name, Instant created) {}

  private final DiskLayout layout;

  BucketStorage(DiskLayout layout) {
    this.layout = layout;
  }

  /**
   * Creates the bucket with its {@code objects/} and {@code blobs/} directories prepared aside and
   * renamed into place, so a bucket is never seen half made. Creating a bucket that exists succeeds
   * and leaves it as it is: there is one owner, and S3 in us-east-1 (the region this store reports)
   * answers 200 to the owner re-creating its bucket, for legacy compatibility (other regions answer
   * 409 BucketAlreadyOwnedByYou); s3cmd's {@code mb} and boto3's {@code create_bucket} then
   * succeed.
   */
  public void create(String name) throws IOException {
    Path target = layout.bucket(name);
    if (Files.exists(target)) {
      return;
    }
    Files.createDirectories(layout.tmp());
    Path staging = layout.tmp().resolve("bucket-" + UUID.randomUUID());
    Files.createDirectories(staging.resolve("objects"));
    Files.createDirectories(staging.resolve("blobs"));
    try {
      // the new directories' entries must be on disk before the rename makes the bucket visible
      DurableFiles.syncDirectory(staging);
      Files.move(staging, target);
      DurableFiles.syncDirectory(layout.root());
    } catch (FileAlreadyExistsException createdMeanwhile) {
      // another request created it first: the same answer as above
    } finally {
      deleteTree(staging);
    }
  }

  public boolean exists(String name) {
    return Files.isDirectory(layout.objects(name));
  }

  public void require(String name) {
    if (!exists(name)) {
      throw S3Error.NO_SUCH_BUCKET.exception();
    }
  }

  /** Buckets sorted by name, as ListBuckets returns them. */
  public List<Bucket> list() throws IOException {
    List<Bucket> buckets = new ArrayList<>();
    if (!Files.isDirectory(layout.root())) {
      return buckets;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.root())) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (!name.startsWith(".") && Files.isDirectory(dir.resolve("objects"))) {
          BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class);
          buckets.add(new Bucket(name, attributes.creationTime().toInstant()));
        }
      }
    }
    buckets.sort(Comparator.comparing(Bucket::name));
    return buckets;
  }

  /** Deletes an empty bucket; S3 refuses to delete one that still holds objects. */
  public void delete(String name) throws IOException {
    require(name);
    try (Stream<Path> objects = Files.list(layout.objects(name))) {
      if (objects.findAny().isPresent()) {
        throw S3Error.BUCKET_NOT_EMPTY.exception();
      }
    }
    // Rename first so the bucket disappears in one step; then clear what is left of it
    // (blobs of uploads that never got published).
    Path doomed = layout.tmp().resolve("deleted-" + UUID.randomUUID());
    Files.createDirectories(layout.tmp());
    try {
      Files.move(layout.bucket(name), doomed);
    } catch (NoSuchFileException e) {
      throw S3Error.NO_SUCH_BUCKET.exception();
    }
    // acknowledged means gone for good: a crash must not bring the bucket back
    DurableFiles.syncDirectory(layout.root());
    deleteTree(doomed);
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
