package io.shopstack.dns.authoritative.reload;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices edited zone files by looking at their modification time, size and identity every few
 * seconds, the way an operator expects from {@code nsd} with {@code zonefiles-check}. Polling a
 * handful of files is cheap and, unlike a WatchService, also sees edits through symlinks and bind
 * mounts (Docker volumes). A change is reported once; a broken edit is not retried until it changes
 * again.
 */
public final class ZoneFileWatcher implements AutoCloseable {
  private final List<Path> files;
  private final Runnable onChange;
  private final Map<Path, ZoneFileStamp> seen = new HashMap<>();
  private final ScheduledExecutorService timer;

  public ZoneFileWatcher(List<Path> files, int everySeconds, Runnable onChange, String instance) {
    this.files = List.copyOf(files);
    this.onChange = onChange;
    this.files.forEach(f -> seen.put(f, ZoneFileStamp.of(f)));
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
      ZoneFileStamp now = ZoneFileStamp.of(file);
      ZoneFileStamp before = seen.put(file, now);
      if (before == null || !now.looksLike(before)) {
        changed = true;
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
