package io.shopstack.topology.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command line tool we did not write (dig, unbound-checkconf), run to completion, bounded. */
record Command(int exitCode, String output) {
  private static final long LIMIT_SECONDS = 30;

  static Command run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", command) + " did not finish in " + LIMIT_SECONDS + " s");
    }
    return new Command(p.exitValue(), output);
  }
}
