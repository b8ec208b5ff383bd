package io.shopstack.edge.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional second tier: every key the memory store keeps is also written to one file, so a
 * restarted cache still has its objects (Varnish's file storage forgets everything on restart; this
 * is closer to ATS's cache disk or nginx's proxy_cache directory). Memory evictions leave the file;
 * a memory miss reads it back. PURGE, BAN and invalidation remove it.
 *
 * <p>Writes are durable and atomic: a temp file, fsync, rename over the old one, fsync of the
 * directory; so after a crash a file is either the old object or the new one, and a damaged one
 * fails its checksum and is dropped. They run on one thread of their own, in the order the store
 * changed, never on an event loop. Reads of requests that missed in memory run on reader threads
 * too ({@link #readLater}): a slow or stalled disk delays only the requests that need it, never the
 * hits from memory that share their event loop.
 *
 * <p>Bounded by bytes: when the files exceed {@code maxBytes}, the least recently written go.
 */
public final class DiskTier implements ResponseCache.Tier, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);
  private static final String SUFFIX = ".obj";
  private static final String TEMP = ".tmp";

  private final Path directory;
  private final long maxBytes;

  /**
   * Writes waiting for the disk, at most this many: a miss rate the disk cannot keep up with must
   * not queue objects in memory without bound. Beyond it a write is skipped (the object is then
   * only in memory); a removal is never skipped, it runs on the caller's thread instead.
   */
  static final int MAX_QUEUED_WRITES = 4096;

  private final ThreadPoolExecutor writer =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new LinkedBlockingQueue<>(MAX_QUEUED_WRITES),
          r -> {
            Thread t = new Thread(r, "edge-disk-writer");
            t.setDaemon(true);
            return t;
          });

  /** Reads waiting for a reader, at most this many; beyond it a request goes to the origin. */
  static final int MAX_QUEUED_READS = 1024;

  /** Two readers: one slow file does not hold up every other read behind it. */
  private static final int READERS = 2;

  private final ThreadPoolExecutor readers =
      new ThreadPoolExecutor(
          READERS,
          READERS,
          0,
          TimeUnit.MILLISECONDS,
          new LinkedBlockingQueue<>(MAX_QUEUED_READS),
          r -> {
            Thread t = new Thread(r, "edge-disk-reader");
            t.setDaemon(true);
            return t;
          });

  private final AtomicLong generations = new AtomicLong();

  /** The latest change asked for per key (a write or a removal), by generation. */
  private final Map<CacheKey, Long> requested = new ConcurrentHashMap<>();

  /** What is on disk per key, by generation; readable only while it is also the latest asked. */
  private final Map<CacheKey, Long> written = new ConcurrentHashMap<>();

  /** File sizes in write order; touched under this object's lock only. */
  private final LinkedHashMap<CacheKey, Long> sizes = new LinkedHashMap<>();

  private final AtomicLong bytes = new AtomicLong();
  private final LongAdder reads = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder readsSkipped = new LongAdder();

  private DiskTier(Path directory, long maxBytes) {
    this.directory = directory;
    this.maxBytes = maxBytes;
  }

  /**
   * Opens (creating it if needed) the directory and rebuilds the index from the files there, oldest
   * first; leftover temp files of an interrupted write and unreadable files are removed.
   */
  public static DiskTier open(Path directory, long maxBytes) throws IOException {
    Files.createDirectories(directory);
    DiskTier tier = new DiskTier(directory, maxBytes);
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.sorted(Comparator.comparing(DiskTier::modified)).toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(TEMP)) {
        Files.deleteIfExists(file);
      } else if (name.endsWith(SUFFIX)) {
        tier.index(file);
      }
    }
    log.info("disk tier {}: {} objects, {} bytes", directory, tier.objects(), tier.bytes());
    return tier;
  }

  private void index(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      CacheKey key = DiskFormat.readKey(in);
      if (!file.equals(fileOf(key))) {
        throw new IOException("file name does not match its key " + key);
      }
      long generation = generations.incrementAndGet();
      requested.put(key, generation);
      written.put(key, generation);
      long size = Files.size(file);
      sizes.put(key, size);
      bytes.addAndGet(size);
    } catch (IOException e) {
      log.warn("disk tier: dropping unreadable {}: {}", file, e.toString());
      Files.deleteIfExists(file);
    }
  }

  @Override
  public void stored(CacheKey key, List<CacheEntry> variants) {
    long generation = generations.incrementAndGet();
    requested.put(key, generation);
    try {
      writer.execute(() -> write(key, variants, generation));
    } catch (RejectedExecutionException e) {
      skipped.increment(); // the disk is behind (or closed): this version stays in memory only
    }
  }

  @Override
  public void removed(CacheKey key) {
    long generation = generations.incrementAndGet();
    requested.put(key, generation); // from now on the old file is not read
    try {
      writer.execute(() -> delete(key, generation));
    } catch (RejectedExecutionException e) {
      delete(key, generation); // a purged object must not come back after a restart
    }
  }

  @Override
  public java.util.Set<CacheKey> keys() {
    return java.util.Set.copyOf(written.keySet());
  }

  @Override
  public boolean holds(CacheKey key) {
    Long onDisk = written.get(key);
    return onDisk != null && onDisk.equals(requested.get(key));
  }

  /**
   * {@link #read} on a reader thread. When the readers are that far behind, the answer is "not
   * here" at once (the request goes to the origin) rather than a longer queue.
   */
  @Override
  public CompletableFuture<List<CacheEntry>> readLater(CacheKey key) {
    try {
      return CompletableFuture.supplyAsync(() -> read(key), readers);
    } catch (RejectedExecutionException e) {
      readsSkipped.increment();
      return CompletableFuture.completedFuture(null);
    }
  }

  @Override
  public List<CacheEntry> read(CacheKey key) {
    if (!holds(key)) {
      return null;
    }
    try {
      List<CacheEntry> variants = DiskFormat.decode(key, Files.readAllBytes(fileOf(key)));
      reads.increment();
      return variants;
    } catch (NoSuchFileException e) {
      return null; // removed meanwhile
    } catch (IOException e) {
      failures.increment();
      log.warn("disk tier: cannot read {} for {}: {}", fileOf(key), key, e.toString());
      removed(key);
      return null;
    }
  }

  private synchronized void write(CacheKey key, List<CacheEntry> variants, long generation) {
    if (!Long.valueOf(generation).equals(requested.get(key))) {
      return; // a newer change of the key is queued behind this one
    }
    Path file = fileOf(key);
    Path temp = directory.resolve(file.getFileName() + TEMP);
    byte[] data = DiskFormat.encode(key, variants);
    try {
      try (FileChannel out =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory();
    } catch (IOException e) {
      failures.increment();
      log.warn("disk tier: cannot write {} for {}: {}", file, key, e.toString());
      deleteQuietly(temp);
      return;
    }
    written.put(key, generation);
    Long old = sizes.remove(key);
    bytes.addAndGet(data.length - (old == null ? 0 : old));
    sizes.put(key, (long) data.length);
    trim();
  }

  private synchronized void delete(CacheKey key, long generation) {
    Long old = sizes.remove(key);
    if (old != null) {
      bytes.addAndGet(-old);
    }
    written.remove(key);
    deleteQuietly(fileOf(key));
    requested.remove(key, generation);
  }

  /** The least recently written files go until the tier is within its bytes. */
  private synchronized void trim() {
    var eldest = sizes.entrySet().iterator();
    while (bytes.get() > maxBytes && eldest.hasNext()) {
      Map.Entry<CacheKey, Long> gone = eldest.next();
      eldest.remove();
      bytes.addAndGet(-gone.getValue());
      Long generation = written.remove(gone.getKey());
      deleteQuietly(fileOf(gone.getKey()));
      if (generation != null) {
        requested.remove(gone.getKey(), generation);
      }
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true); // makes the rename itself survive a power cut
    }
  }

  /** One file per key, named by a hash: keys can hold any byte a URL can. */
  Path fileOf(CacheKey key) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((key.host() + "\n" + key.target()).getBytes(StandardCharsets.UTF_8));
      return directory.resolve(HexFormat.of().formatHex(hash, 0, 20) + SUFFIX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("disk tier: cannot delete {}: {}", file, e.toString());
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }

  public long objects() {
    return written.size();
  }

  public long bytes() {
    return bytes.get();
  }

  /** Memory misses answered from disk. */
  public long reads() {
    return reads.sum();
  }

  /** Files that could not be written or read. */
  public long failures() {
    return failures.sum();
  }

  /** Writes skipped because too many were queued. */
  public long skipped() {
    return skipped.sum();
  }

  /** Reads not even queued because the readers were {@link #MAX_QUEUED_READS} behind. */
  public long readsSkipped() {
    return readsSkipped.sum();
  }

  /** Waits until every write asked for so far is on disk (for shutdown and tests). */
  public void flush() throws InterruptedException {
    try {
      writer.submit(() -> {}).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("disk tier did not flush", e);
    }
  }

  /** Finishes the writes already queued, then stops the writer. */
  @Override
  public void close() {
    readers.shutdownNow(); // a read nobody waits for any more is not worth finishing
    writer.shutdown();
    try {
      if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("disk tier {}: writes still queued at close", directory);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
