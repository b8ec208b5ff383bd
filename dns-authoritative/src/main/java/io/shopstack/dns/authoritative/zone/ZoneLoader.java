package io.shopstack.dns.authoritative.zone;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.config.Placeholders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;

/**
 * Reads a zone file TEMPLATE: the text is expanded first ({@code ${SHOP_NET:-127}.28.0.4}), then
 * parsed ({@link OneLineRecords} for a file of one-line records, which big zones are, else
 * dnsjava's RFC 1035 master-file parser), then checked and indexed into an {@link
 * AuthoritativeZone}. One template therefore serves the local topology (127/8) and Docker
 * (172.28/16).
 */
public final class ZoneLoader {
  /** Master's default TTL when a file has neither {@code $TTL} nor explicit TTLs (BIND's). */
  private static final long DEFAULT_TTL = 3600;

  private final Map<String, String> variables;

  public ZoneLoader(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  /** Loads a zone with every core: at start, when nothing is being answered yet. */
  public AuthoritativeZone load(ZoneSource source) {
    return load(source, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Loads a zone while others are being answered (a reload): a big one-line file is read in one
   * piece fewer than there are cores, so the parse leaves a core to the event loops.
   */
  public AuthoritativeZone reload(ZoneSource source) {
    return load(source, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
  }

  private AuthoritativeZone load(ZoneSource source, int pieces) {
    String location = source.location();
    String text;
    try {
      text = ConfigLoader.readText(location);
      // Generated and secondary zones have no placeholders; do not scan megabytes for them.
      if (text.contains("${")) {
        text = Placeholders.expand(text, variables);
      }
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new ZoneFileException(location + ": " + e.getMessage(), e);
    }
    List<Record> plain = OneLineRecords.read(text, source.origin(), DEFAULT_TTL, pieces);
    if (plain != null) {
      return AuthoritativeZone.index(source.origin(), plain, location);
    }
    List<Record> records = new ArrayList<>();
    try (Master master =
        new Master(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
            source.origin(),
            DEFAULT_TTL)) {
      // $INCLUDE would read a file the placeholders never saw; a template must be whole.
      master.disableIncludes(true);
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    } catch (IOException e) {
      // The parser reads from memory, so it calls the file "<none>"; name the real one.
      String message = String.valueOf(e.getMessage()).replaceFirst("^<none>", location);
      throw new ZoneFileException(
          message.startsWith(location) ? message : location + ": " + message, e);
    }
    return AuthoritativeZone.index(source.origin(), records, location);
  }
}
