package io.shopstack.client.diagram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The journey as one self-contained HTML page ({@code --html FILE}): the sequence diagram across
 * the hosts as inline SVG, then the steps with their timings and problems. Built from the journey's
 * JSON document, so the page can show nothing {@code --json} does not say; no script, no external
 * asset, so it opens from a mounted folder or a CI artifact as it is.
 */
public final class JourneyPage {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JourneyPage() {}

  /** Writes the page for the journey's JSON document ({@code JourneyJson.of}). */
  public static void write(String journeyJson, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, render(JSON.readTree(journeyJson)), StandardCharsets.UTF_8);
  }

  static String render(JsonNode journey) {
    boolean ok = journey.path("success").asBoolean();
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>shop-stack: the journey of one purchase</title>\n")
        .append(
            "<style>body{font-family:sans-serif;margin:1.5em;color:#222}"
                + "table{border-collapse:collapse;margin-top:1em}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
                + ".ok{color:#1a7f37;font-weight:bold}.failed{color:#c62828;font-weight:bold}"
                + "code{background:#f4f4f4;padding:1px 3px}</style>\n")
        .append("</head>\n<body>\n")
        .append("<h1>The journey of one purchase</h1>\n")
        .append(
            "<p id=\"verdict\" class=\"%s\">journey %s (exit code %d)</p>\n"
                .formatted(
                    ok ? "ok" : "failed", ok ? "OK" : "FAILED", journey.path("exitCode").asInt()))
        .append(
            "<p>Every arrow is a real DNS message, resolver step or HTTP exchange of this run, with"
                + " the time it took; hosts come from the answers and headers themselves.</p>\n")
        .append(JourneyDiagram.of(journey).svg())
        .append("<table id=\"steps\">\n<tr><th>step</th><th>result</th><th>took</th>")
        .append("<th>summary</th><th>problems</th></tr>\n");
    for (JsonNode step : journey.path("steps")) {
      boolean stepOk = step.path("ok").asBoolean();
      StringBuilder problems = new StringBuilder();
      for (JsonNode problem : step.path("problems")) {
        problems
            .append(Html.escape(JourneyDiagram.text(problem.path("failure"))))
            .append(": ")
            .append(Html.escape(JourneyDiagram.text(problem.path("text"))))
            .append("<br>");
      }
      String check = JourneyDiagram.text(step.path("check"));
      if (!check.isEmpty()) {
        problems.append("check: <code>").append(Html.escape(check)).append("</code>");
      }
      html.append(
          "<tr class=\"step\" data-step=\"%s\"><td>%s</td><td class=\"%s\">%s</td><td>%d ms</td><td>%s</td><td>%s</td></tr>\n"
              .formatted(
                  Html.escape(JourneyDiagram.text(step.path("name"))),
                  Html.escape(JourneyDiagram.text(step.path("name"))),
                  stepOk ? "ok" : "failed",
                  stepOk ? "OK" : "FAILED",
                  step.path("tookMillis").asLong(),
                  Html.escape(JourneyDiagram.text(step.path("summary"))),
                  problems));
    }
    return html.append("</table>\n</body>\n</html>\n").toString();
  }
}
