package io.shopstack.objectstore.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed sidecars of recently read objects, so a GET costs one {@code stat} of its sidecar instead
 * of opening, reading and parsing the JSON again (with a CDN edge refetching the same images, the
 * sidecar read was most of the Java work of the sendfile fast path).
 *
 * <p>Never stale: every commit renames a new sidecar file over the old one, so the path's file
 * (inode), modification time and size are checked on every lookup and any change reads the file
 * again. The attributes are taken before the file is read: when an overwrite lands in between, the
 * entry holds newer content under older attributes, which the next lookup sees as a change.
 */
final class SidecarCache {

  /** Past this many entries the cache starts over: bounded memory, no bookkeeping per hit. */
  static final int MAX_ENTRIES = 10_000;

  /** Reads and parses one sidecar file. */
  interface Reader {
    StoredObject read(Path sidecar) throws IOException;
  }

  private record Entry(Object fileKey, FileTime modified, long size, StoredObject object) {
    boolean matches(BasicFileAttributes now) {
      return now.size() == size
          && now.lastModifiedTime().equals(modified)
          && (fileKey == null ? now.fileKey() == null : fileKey.equals(now.fileKey()));
    }
  }

  private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
  private final Reader reader;

  SidecarCache(Reader reader) {
    this.reader = reader;
  }

  Optional<StoredObject> read(Path sidecar) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(sidecar, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      entries.remove(sidecar);
      return Optional.empty();
    }
    Entry cached = entries.get(sidecar);
    if (cached != null && attributes.fileKey() != null && cached.matches(attributes)) {
      return Optional.of(cached.object());
    }
    StoredObject object;
    try {
      object = reader.read(sidecar);
    } catch (NoSuchFileException e) {
      entries.remove(sidecar);
      return Optional.empty();
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(
        sidecar,
        new Entry(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size(), object));
    return Optional.of(object);
  }
}
