package io.shopstack.client.diagram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A UML-style sequence diagram drawn as inline SVG: one lifeline per host, left to right in the
 * order they were added, and from top to bottom the messages, notes and section headings in the
 * order they happened. No script, font file or stylesheet outside the SVG itself, so the page works
 * offline and in any browser.
 */
final class SequenceDiagram {
  private static final int COLUMN = 150;
  private static final int MARGIN = 20;
  private static final int HEAD = 64;
  private static final int ROW = 30;

  private record Host(String id, String title, String detail) {}

  private sealed interface Row permits Message, Note, Section {}

  private record Message(String from, String to, String label, boolean reply, String step)
      implements Row {}

  private record Note(String on, String text, String step) implements Row {}

  private record Section(String title) implements Row {}

  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final List<Row> rows = new ArrayList<>();

  /** Adds a lifeline unless one with this id exists; the first title given stays. */
  SequenceDiagram host(String id, String title, String detail) {
    hosts.putIfAbsent(id, new Host(id, title, detail == null ? "" : detail));
    return this;
  }

  boolean has(String id) {
    return hosts.containsKey(id);
  }

  SequenceDiagram section(String title) {
    rows.add(new Section(title));
    return this;
  }

  /** A request (solid arrow) from one host to another; both must be hosts already. */
  SequenceDiagram call(String step, String from, String to, String label) {
    rows.add(new Message(require(from), require(to), label, false, step));
    return this;
  }

  /** An answer (dashed arrow). */
  SequenceDiagram reply(String step, String from, String to, String label) {
    rows.add(new Message(require(from), require(to), label, true, step));
    return this;
  }

  /** Something a host did or said by itself, in a box on its lifeline. */
  SequenceDiagram note(String step, String on, String text) {
    rows.add(new Note(require(on), text, step));
    return this;
  }

  private String require(String id) {
    if (!hosts.containsKey(id)) {
      throw new IllegalArgumentException("no lifeline " + id);
    }
    return id;
  }

  String svg() {
    List<String> order = new ArrayList<>(hosts.keySet());
    int width = MARGIN * 2 + COLUMN * order.size() + COLUMN / 2; // room for a note at the right
    int height = HEAD + ROW * (rows.size() + 1) + MARGIN;
    StringBuilder svg = new StringBuilder();
    svg.append(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sequence\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n"
            .formatted(width, height, width, height));
    svg.append(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
            + " markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\""
            + " fill=\"#333\"/></marker></defs>\n");
    for (int i = 0; i < order.size(); i++) {
      Host host = hosts.get(order.get(i));
      int x = centre(i);
      svg.append(
          "<g class=\"lifeline\" data-host=\"%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"40\" rx=\"5\" fill=\"#e8f0fe\" stroke=\"#4a6fa5\"/>"
                  .formatted(Html.escape(host.id()), x - COLUMN / 2 + 6, MARGIN, COLUMN - 12)
              + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>"
                  .formatted(x, MARGIN + 17, Html.escape(host.title()))
              + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>"
                  .formatted(x, MARGIN + 32, Html.escape(host.detail()))
              + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\" stroke-dasharray=\"4 4\"/></g>\n"
                  .formatted(x, MARGIN + 40, x, height - MARGIN));
    }
    int y = HEAD + ROW / 2;
    for (Row row : rows) {
      y += ROW;
      if (row instanceof Section s) {
        svg.append(section(s, y, width));
      } else if (row instanceof Message m) {
        svg.append(message(m, order, y));
      } else if (row instanceof Note n) {
        svg.append(note(n, order, y));
      }
    }
    return svg.append("</svg>\n").toString();
  }

  private static String section(Section s, int y, int width) {
    return ("<g class=\"section\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"#fdf6e3\""
            + " stroke=\"#d8c690\"/><text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text></g>\n")
        .formatted(MARGIN, y - 14, width - 2 * MARGIN, MARGIN + 6, y, Html.escape(s.title()));
  }

  private static String message(Message m, List<String> order, int y) {
    int from = centre(order.indexOf(m.from()));
    int to = centre(order.indexOf(m.to()));
    int labelX = (from + to) / 2;
    return ("<g class=\"message\" data-step=\"%s\" data-from=\"%s\" data-to=\"%s\"><line x1=\"%d\""
            + " y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"%s marker-end=\"url(#arrow)\"/><text"
            + " x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text></g>\n")
        .formatted(
            Html.escape(m.step()),
            Html.escape(m.from()),
            Html.escape(m.to()),
            from,
            y,
            to,
            y,
            m.reply() ? " stroke-dasharray=\"5 3\"" : "",
            labelX,
            y - 4,
            Html.escape(m.label()));
  }

  private static String note(Note n, List<String> order, int y) {
    int x = centre(order.indexOf(n.on()));
    int w = Math.max(COLUMN - 20, n.text().length() * 6 + 10);
    return ("<g class=\"note\" data-step=\"%s\" data-on=\"%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\""
            + " height=\"18\" fill=\"#fffbe6\" stroke=\"#c9b458\"/><text x=\"%d\" y=\"%d\""
            + " text-anchor=\"middle\">%s</text></g>\n")
        .formatted(
            Html.escape(n.step()),
            Html.escape(n.on()),
            x - w / 2,
            y - 14,
            w,
            x,
            y - 1,
            Html.escape(n.text()));
  }

  private static int centre(int column) {
    return MARGIN + COLUMN * column + COLUMN / 2;
  }
}
