package io.shopstack.objectstore.storage;

import io.shopstack.objectstore.system.S3Error;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Objects on disk, written so that a crash or a failed upload never leaves a half object.
 *
 * <p>An upload streams into {@code .tmp/}, is fsynced and renamed into {@code blobs/} under a fresh
 * name; then its sidecar is written the same way and renamed over {@code objects/{key}.json}. That
 * last rename is the commit: readers see the old version or the new one, whole. The blob the old
 * sidecar named is deleted afterwards. A crash between the steps can only leave an unreferenced
 * blob, which start-up sweeps away.
 */
@Component
public class ObjectStorage {

  /** Commits of the same key are serialised so each replaced blob is deleted exactly once. */
  private static final int LOCK_STRIPES = 64;

  private final DiskLayout layout;
  private final BucketStorage buckets;
  private final JsonMapper json = JsonMapper.builder().build();
  private final Object[] locks = new Object[LOCK_STRIPES];
  private final SidecarCache sidecars = new SidecarCache(this::parse);

  /** Takes {@code lock} only so that no sweep runs before this process owns the directory. */
  ObjectStorage(DiskLayout layout, BucketStorage buckets, DataDirectoryLock lock)
      throws IOException {
    this.layout = layout;
    this.buckets = buckets;
    Arrays.setAll(locks, i -> new Object());
    new StartupSweep(layout, this::read).run();
  }

  /** An object's metadata together with an open channel on exactly that version's content. */
  public record Content(StoredObject object, FileChannel channel) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /**
   * Stores {@code body} as {@code key}, replacing any previous version. Reads the body to its end
   * before publishing anything: a body that breaks off, exceeds {@code maxBytes} or fails its
   * checksum (the stream throws) leaves the previous version in place.
   */
  public StoredObject put(
      String bucket, String key, InputStream body, long maxBytes, ObjectHeaders headers)
      throws IOException {
    return put(bucket, key, body, maxBytes, headers, current -> {});
  }

  /**
   * Like {@link #put(String, String, InputStream, long, ObjectHeaders)}, publishing only if {@code
   * condition} accepts the version current at the moment of the commit (it throws otherwise):
   * checked under the key's lock, so two {@code If-None-Match: *} writers cannot both win.
   */
  public StoredObject put(
      String bucket,
      String key,
      InputStream body,
      long maxBytes,
      ObjectHeaders headers,
      Consumer<Optional<StoredObject>> condition)
      throws IOException {
    return put(bucket, key, body, maxBytes, () -> headers, condition);
  }

  /**
   * Like {@link #put(String, String, InputStream, long, ObjectHeaders, Consumer)}, with the headers
   * taken once the body has been read: a checksum sent in an aws-chunked trailer is known (and
   * verified) only then.
   */
  public StoredObject put(
      String bucket,
      String key,
      InputStream body,
      long maxBytes,
      Supplier<ObjectHeaders> headers,
      Consumer<Optional<StoredObject>> condition)
      throws IOException {
    layout.sidecar(bucket, key); // a key that cannot be stored fails before the body is read
    buckets.require(bucket);
    condition.accept(find(bucket, key)); // fail early, before reading a body for nothing
    try (Received content = receive(body, maxBytes)) {
      return commit(bucket, key, content, '"' + content.md5Hex() + '"', headers.get(), condition);
    }
  }

  /**
   * Content streamed into {@code .tmp/} and fsynced, with its size and MD5; deleted on close unless
   * it was committed (moved away) first.
   */
  public record Received(Path file, long size, byte[] md5) implements AutoCloseable {
    public String md5Hex() {
      return HexFormat.of().formatHex(md5);
    }

    @Override
    public void close() throws IOException {
      Files.deleteIfExists(file);
    }
  }

  /** Streams {@code body} to a temporary file, hashing it; fails beyond {@code maxBytes}. */
  public Received receive(InputStream body, long maxBytes) throws IOException {
    Files.createDirectories(layout.tmp());
    Path upload = Files.createTempFile(layout.tmp(), "upload-", ".part");
    try {
      MessageDigest md5 = md5();
      long size = 0;
      try (OutputStream out = Files.newOutputStream(upload)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = body.read(buffer)) != -1; ) {
          size += n;
          if (size > maxBytes) {
            throw S3Error.ENTITY_TOO_LARGE.exception(
                "Your proposed upload exceeds the maximum allowed size of " + maxBytes + " bytes");
          }
          md5.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      DurableFiles.sync(upload);
      return new Received(upload, size, md5.digest());
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(upload);
      throw e;
    }
  }

  /**
   * A fresh, fsynced copy of {@code length} bytes of {@code source} from offset {@code first},
   * hashed like an upload: CopyObject and UploadPartCopy publish it as they publish an upload.
   * Blobs are never modified, so the source's bytes cannot change under the copy.
   */
  public Received copy(Content source, long first, long length) throws IOException {
    Files.createDirectories(layout.tmp());
    Path copy = Files.createTempFile(layout.tmp(), "copy-", ".part");
    try (FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE)) {
      MessageDigest md5 = md5();
      ByteBuffer buffer = ByteBuffer.allocate(1024 * 1024);
      for (long done = 0; done < length; ) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
        int n = source.channel().read(buffer, first + done);
        if (n < 0) {
          throw new EOFException("blob " + source.object().blob() + " ended before its size");
        }
        done += n;
        buffer.flip();
        md5.update(buffer.array(), 0, buffer.limit());
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
      out.force(true);
      return new Received(copy, length, md5.digest());
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
  }

  /**
   * Publishes received content as {@code key}: blob renamed into place, then the sidecar renamed
   * over the old one (the commit), then the replaced blob deleted.
   */
  public StoredObject commit(
      String bucket, String key, Received content, String etag, ObjectHeaders headers)
      throws IOException {
    return commit(bucket, key, content, etag, headers, null, current -> {});
  }

  /**
   * Like {@link #commit(String, String, Received, String, ObjectHeaders)}, publishing only if
   * {@code condition} accepts the version current at the moment of the commit (it throws
   * otherwise).
   */
  public StoredObject commit(
      String bucket,
      String key,
      Received content,
      String etag,
      ObjectHeaders headers,
      Consumer<Optional<StoredObject>> condition)
      throws IOException {
    return commit(bucket, key, content, etag, headers, null, condition);
  }

  /**
   * Publishes the joined parts of a multipart upload, remembering the part sizes ({@link
   * StoredObject#partSizes()}).
   */
  StoredObject commit(
      String bucket,
      String key,
      Received content,
      String etag,
      ObjectHeaders headers,
      List<Long> partSizes,
      Consumer<Optional<StoredObject>> condition)
      throws IOException {
    Path sidecar = layout.sidecar(bucket, key);
    buckets.require(bucket);
    String blob = UUID.randomUUID().toString();
    StoredObject stored =
        new StoredObject(
            key,
            content.size(),
            etag,
            Instant.now().truncatedTo(ChronoUnit.MILLIS),
            blob,
            headers,
            partSizes);
    Path sidecarUpload = Files.createTempFile(layout.tmp(), "sidecar-", ".json");
    try {
      Files.write(sidecarUpload, json.writeValueAsBytes(stored));
      DurableFiles.sync(sidecarUpload);
      try {
        DurableFiles.publish(content.file(), layout.blob(bucket, blob));
        synchronized (lockFor(bucket, key)) {
          Optional<StoredObject> previous = read(sidecar);
          try {
            condition.accept(previous);
          } catch (RuntimeException refused) {
            deleteBlob(bucket, stored);
            throw refused;
          }
          DurableFiles.publish(sidecarUpload, sidecar);
          previous.ifPresent(old -> deleteBlob(bucket, old));
        }
      } catch (NoSuchFileException e) {
        // the bucket's directories vanished under us: it was deleted during the upload
        Files.deleteIfExists(layout.blob(bucket, blob));
        throw S3Error.NO_SUCH_BUCKET.exception();
      }
      return stored;
    } finally {
      Files.deleteIfExists(sidecarUpload);
    }
  }

  public Optional<StoredObject> find(String bucket, String key) throws IOException {
    // an object's sidecar lies inside its bucket, and a bucket is deleted only when empty: so the
    // bucket is looked for only when the object is not there (one stat less per GET)
    Optional<StoredObject> found = sidecars.read(layout.sidecar(bucket, key));
    if (found.isEmpty()) {
      buckets.require(bucket);
    }
    return found;
  }

  /**
   * Opens the current version. A concurrent overwrite may delete the blob between reading the
   * sidecar and opening the blob; then the newer sidecar is read again.
   */
  public Optional<Content> open(String bucket, String key) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Optional<StoredObject> found = find(bucket, key);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      try {
        Path blob = layout.blob(bucket, found.get().blob());
        return Optional.of(
            new Content(found.get(), FileChannel.open(blob, StandardOpenOption.READ)));
      } catch (NoSuchFileException e) {
        if (attempt >= 3) {
          throw e;
        }
      }
    }
  }

  /** Deletes the object; like S3, deleting a missing key is not an error. */
  public void delete(String bucket, String key) throws IOException {
    delete(bucket, key, current -> {});
  }

  /** Deletes the object if {@code condition} accepts its current version (it throws otherwise). */
  public void delete(String bucket, String key, Consumer<Optional<StoredObject>> condition)
      throws IOException {
    Path sidecar = layout.sidecar(bucket, key);
    buckets.require(bucket);
    synchronized (lockFor(bucket, key)) {
      Optional<StoredObject> previous = read(sidecar);
      condition.accept(previous);
      if (Files.deleteIfExists(sidecar)) {
        DurableFiles.syncDirectory(sidecar.getParent());
      }
      previous.ifPresent(old -> deleteBlob(bucket, old));
    }
  }

  /** Keys starting with {@code prefix}, in S3's order: by their UTF-8 bytes. */
  public List<String> keys(String bucket, String prefix) throws IOException {
    buckets.require(bucket);
    try (Stream<Path> sidecars = Files.list(layout.objects(bucket))) {
      return sidecars
          .map(DiskLayout::keyOf)
          .filter(key -> key != null && key.startsWith(prefix))
          .sorted(ObjectStorage::compareUtf8)
          .toList();
    }
  }

  public static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  JsonMapper json() {
    return json;
  }

  /** The sidecar as it is on disk now, uncached: what commits decide on, under the key's lock. */
  Optional<StoredObject> read(Path sidecar) throws IOException {
    try {
      return Optional.of(parse(sidecar));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private StoredObject parse(Path sidecar) throws IOException {
    return json.readValue(Files.readAllBytes(sidecar), StoredObject.class);
  }

  private void deleteBlob(String bucket, StoredObject object) {
    try {
      Files.deleteIfExists(layout.blob(bucket, object.blob()));
    } catch (IOException e) {
      // an unreferenced blob is garbage, not damage: the next start-up sweep removes it
    }
  }

  private Object lockFor(String bucket, String key) {
    return locks[Math.floorMod((bucket + '/' + key).hashCode(), LOCK_STRIPES)];
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships MD5", e);
    }
  }
}
