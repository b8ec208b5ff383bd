package io.shopstack.client.cli;

import io.shopstack.client.journey.JourneyJson;
import java.io.PrintStream;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code --json} document of one command (resolve, get, order, load): its facts under the same
 * field names as the journey's, plus {@code exitCode} and {@code error} (the first problem, or
 * null). Stdout then holds only the document; the narration goes to stderr.
 */
final class CommandJson {
  private final ObjectNode document = JourneyJson.document();
  private String error;

  ObjectNode document() {
    return document;
  }

  /** Remembers the first problem; later ones followed from it. */
  void error(String text) {
    if (error == null) {
      error = text;
    }
  }

  /** Prints the document when asked for, and returns the exit code either way. */
  int finish(boolean asJson, PrintStream out, int exitCode) {
    if (asJson) {
      ObjectNode head = JourneyJson.document();
      head.put("exitCode", exitCode);
      head.put("error", error);
      head.setAll(document);
      out.println(JourneyJson.pretty(head));
      out.flush();
    }
    return exitCode;
  }
}
