package io.shopstack.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads facts out of what the phone app printed (from inside a container, the printout is all a
 * test gets): each product-page fetch's own {@code X-Cache} verdict, in order, and the order's HTTP
 * status and the order it placed. Exact lines, so that a date or a header of another hop cannot
 * pass for them.
 */
final class JourneyOutput {
  private static final Pattern PAGE_FETCH =
      Pattern.compile(
          "GET http://static\\.shop\\.example/products/\\S+.*?< X-Cache: (HIT|MISS)\\b",
          Pattern.DOTALL);
  private static final Pattern ORDER_STATUS =
      Pattern.compile(
          "POST http://www\\.shop\\.example\\S*/purchaseOrder.*?< HTTP/1\\.1 (\\d{3})",
          Pattern.DOTALL);

  // The order-service's answer to the POST, as the client printed its headers.
  private static final Pattern PLACED_ORDER =
      Pattern.compile(
          "POST http://www\\.shop\\.example\\S*/purchaseOrder.*?< HTTP/1\\.1 201\\b.*?"
              + "< Location: /purchaseOrder/(\\d+)\\b[^\\n]*?X-Served-By: ([\\w.-]+)",
          Pattern.DOTALL);

  // The buy step's account of one router's two captures of the purchase's SYN (PathPrinter).
  private static final String MAC = "([0-9a-f:]{17})";
  // To the next line's "->", past compose's "demo_1  | " where the log came through compose.
  private static final String NEXT_LINE = "[^\\n]*\\n[^\\n]*?";
  private static final String LEG =
      "->\\s+%s\\s+(\\S+) (\\S+)\\s+" + MAC + " > " + MAC + "\\s+ttl (\\d+)";

  /** The order a journey placed: its id from the Location header and the instance that took it. */
  record PlacedOrder(long id, String servedBy) {}

  private JourneyOutput() {}

  /**
   * The edge's verdict for every product-page fetch of the last journey in the output (compose may
   * replay an earlier run's log): first view, then the reload.
   */
  static List<String> pageCacheVerdicts(String output) {
    List<String> verdicts = new ArrayList<>();
    Matcher m = PAGE_FETCH.matcher(lastJourney(output));
    while (m.find()) {
      verdicts.add(m.group(1));
    }
    return verdicts;
  }

  /** The status the order service answered the purchase with, or -1 if there was none. */
  static int orderStatus(String output) {
    Matcher m = ORDER_STATUS.matcher(lastJourney(output));
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** The order the last journey in the output placed; fails if it placed none. */
  static PlacedOrder placedOrder(String output) {
    Matcher m = PLACED_ORDER.matcher(lastJourney(output));
    if (!m.find()) {
      throw new AssertionError("the client printed no 201 with a Location for its order");
    }
    return new PlacedOrder(Long.parseLong(m.group(1)), m.group(2));
  }

  /** One router's capture of the purchase's SYN on both its legs, as the journey printed it. */
  record PrintedCrossing(
      String inDevice,
      String inAddress,
      RouterCapture.Syn in,
      String outDevice,
      String outAddress,
      RouterCapture.Syn out,
      String verdict) {}

  /** What the journey printed of {@code router}'s captures of its purchase; fails if nothing. */
  static PrintedCrossing crossing(String output, String router) {
    Matcher m =
        Pattern.compile(
                Pattern.quote(router)
                    + " captured this connection's SYN (\\S+):(\\d+) > (\\S+):(\\d+) on both legs:"
                    + NEXT_LINE
                    + LEG.formatted("in ")
                    + NEXT_LINE
                    + LEG.formatted("out")
                    + NEXT_LINE
                    + "->\\s+([^\\n]*)")
            .matcher(lastJourney(output));
    if (!m.find()) {
      throw new AssertionError("the journey printed no capture of its SYN by " + router);
    }
    String source = m.group(1);
    int port = Integer.parseInt(m.group(2));
    String destination = m.group(3);
    int destinationPort = Integer.parseInt(m.group(4));
    return new PrintedCrossing(
        m.group(5),
        m.group(6),
        new RouterCapture.Syn(
            m.group(7),
            m.group(8),
            Integer.parseInt(m.group(9)),
            source,
            port,
            destination,
            destinationPort),
        m.group(10),
        m.group(11),
        new RouterCapture.Syn(
            m.group(12),
            m.group(13),
            Integer.parseInt(m.group(14)),
            source,
            port,
            destination,
            destinationPort),
        m.group(15).strip());
  }

  private static String lastJourney(String output) {
    int start = output.lastIndexOf("[1] Resolve");
    return start < 0 ? output : output.substring(start);
  }
}
