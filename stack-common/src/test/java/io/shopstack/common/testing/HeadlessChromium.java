package io.shopstack.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's {@code chromium} in headless mode, as the judge of a page we generate: it renders the
 * file to a PNG screenshot and dumps the DOM it built. Like every {@link ExternalCommand}, a
 * missing browser fails the test rather than skipping it. Each call gets its own profile directory,
 * so tests running in parallel never share one.
 */
public final class HeadlessChromium {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  private HeadlessChromium() {}

  /** Renders {@code page} in a {@code width}x{@code height} window and writes it to {@code png}. */
  public static void screenshot(Path page, Path png, int width, int height) {
    run(
        List.of(
            "--hide-scrollbars",
            "--window-size=" + width + "," + height,
            "--screenshot=" + png.toAbsolutePath()),
        page);
    if (!Files.isRegularFile(png)) {
      throw new AssertionError("chromium wrote no screenshot to " + png);
    }
  }

  /** The DOM chromium built from {@code page}, serialised after loading it. */
  public static String dumpDom(Path page) {
    return run(List.of("--dump-dom"), page).output();
  }

  private static ExternalCommand.Result run(List<String> options, Path page) {
    Path profile;
    try {
      profile = Files.createTempDirectory("chromium-profile");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>(List.of("chromium", "--headless"));
    // Tests run as root in CI, where chromium refuses its sandbox; no GPU, no /dev/shm in Docker.
    command.addAll(
        List.of(
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--user-data-dir=" + profile));
    command.addAll(options);
    command.add(page.toAbsolutePath().toUri().toString());
    try {
      return ExternalCommand.run(LIMIT, command).assertSuccess();
    } finally {
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path directory) {
    try (var paths = Files.walk(directory)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(p -> p.toFile().delete()); // best effort: a leftover profile harms nobody
    } catch (IOException e) {
      // left in the temp directory
    }
  }
}
