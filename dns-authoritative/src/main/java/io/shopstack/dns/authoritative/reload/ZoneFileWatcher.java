package io.shopstack.dns.authoritative.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices edited zone files by looking at their modification time and size every few seconds, the
 * way an operator expects from {@code nsd} with {@code zonefiles-check}. Polling a handful of files
 * is cheap and, unlike a WatchService, also sees edits through symlinks and bind mounts (Docker
 * volumes). A change is reported once; a broken edit is not retried until it changes again.
 */
public final class ZoneFileWatcher implements AutoCloseable {
  private record Stamp(FileTime modified, long size) {}

  private final List<Path> files;
  private final Runnable onChange;
  private final Map<Path, Stamp> seen = new HashMap<>();
  private final ScheduledExecutorService timer;

  public ZoneFileWatcher(List<Path> files, int everySeconds, Runnable onChange, String instance) {
    this.files = List.copyOf(files);
    this.onChange = onChange;
    this.files.forEach(f -> seen.put(f, stamp(f)));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, instance + "-zone-watch");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::check, everySeconds, everySeconds, TimeUnit.SECONDS);
  }

  private void check() {
    boolean changed = false;
    for (Path file : files) {
      Stamp now = stamp(file);
      if (!Objects.equals(seen.put(file, now), now)) {
        changed = true;
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  private static Stamp stamp(Path file) {
    try {
      return new Stamp(Files.getLastModifiedTime(file), Files.size(file));
    } catch (IOException e) {
      return new Stamp(null, -1); // gone for now: the reload will say so
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
