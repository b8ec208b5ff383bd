package io.shopstack.dns.authoritative.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a zone file looked like on disk: modification time, size and file identity (inode), so an
 * edit in place and a new file renamed over the old one (what editors and {@code cp} to a temp name
 * then {@code mv} do) both count as changes. BIND's {@code rndc reload} and NSD's {@code
 * nsd-control reload} skip a zone whose file's modification time has not moved.
 *
 * <p>File times move in clock ticks of several milliseconds, so a file written again within the
 * tick it was read in, to the same size, would look unchanged. As git does for its index ("racily
 * clean" entries), a file modified shortly before it was stamped is not trusted to be unchanged: it
 * is read again at the next reload, whatever its stamp says then.
 */
record ZoneFileStamp(FileTime modified, long size, Object fileKey, boolean settled) {
  /** Files modified this shortly before they were read may still change within the same tick. */
  static final Duration SETTLING = Duration.ofSeconds(2);

  /** A file that cannot be read now: never the same as a readable one. */
  static final ZoneFileStamp MISSING = new ZoneFileStamp(null, -1, null, false);

  static ZoneFileStamp of(Path file) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      FileTime modified = attributes.lastModifiedTime();
      boolean settled = modified.toInstant().isBefore(Instant.now().minus(SETTLING));
      return new ZoneFileStamp(modified, attributes.size(), attributes.fileKey(), settled);
    } catch (IOException e) {
      return MISSING; // gone for now: the reload will say so
    }
  }

  /**
   * The stamp of a zone's location, or null when it has none to compare: a {@code classpath:}
   * resource is read again on every reload, as before.
   */
  static ZoneFileStamp ofLocation(String location) {
    return location.startsWith("classpath:") ? null : of(Path.of(location));
  }

  /** True when the file is, beyond doubt, the one that was stamped {@code earlier}. */
  boolean unchangedSince(ZoneFileStamp earlier) {
    return earlier != null && earlier.settled && looksLike(earlier);
  }

  /** Same time, size and identity (what the file watcher compares, every few seconds). */
  boolean looksLike(ZoneFileStamp other) {
    return Objects.equals(modified, other.modified)
        && size == other.size
        && Objects.equals(fileKey, other.fileKey);
  }
}
