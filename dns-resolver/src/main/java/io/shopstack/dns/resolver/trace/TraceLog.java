package io.shopstack.dns.resolver.trace;

import io.shopstack.common.admin.AdminAction;
import io.shopstack.common.admin.AdminPage;
import io.shopstack.dns.resolver.cache.BoundedTtlMap;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last iteration the resolver made for each (name, type), so the client app can ask afterwards
 * how its answer was found: {@code GET /trace?name=static.shop.example&type=A} on the admin port.
 * Answers served from the cache alone do not replace the iteration that filled the cache. Bounded
 * in entries and age, like every other table of the resolver.
 */
public final class TraceLog {
  private static final int MAX_NAMES = 1000;
  private static final long KEEP_SECONDS = 3600;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private record Key(Name name, int type) {}

  private final BoundedTtlMap<Key, Supplier<ResolutionTrace>> last;

  public TraceLog(InstantSource clock) {
    this.last = new BoundedTtlMap<>(MAX_NAMES, clock);
  }

  /**
   * Keeps how (name, type) was just resolved. The steps are put into words only when someone asks
   * for them: a busy resolver makes thousands of traces a second and shows almost none.
   */
  public void record(Name name, int type, Supplier<ResolutionTrace> trace) {
    last.put(new Key(name, type), trace, KEEP_SECONDS);
  }

  public Optional<ResolutionTrace> last(Name name, int type) {
    return last.get(new Key(name, type)).map(aged -> aged.value().get());
  }

  /** The admin page: 400 without a name or with an unknown type, 404 if nothing was traced. */
  public AdminPage page() {
    return this::render;
  }

  private AdminAction.Result render(Map<String, String> parameters) {
    Name name = name(parameters.get("name"));
    int type = Type.value(parameters.getOrDefault("type", "A"));
    if (name == null || type < 0) {
      return new AdminAction.Result(
          400, "{\"error\":\"use /trace?name=NAME&type=TYPE (type defaults to A)\"}\n");
    }
    return last(name, type)
        .map(trace -> AdminAction.Result.ok(JSON.writeValueAsString(trace) + "\n"))
        .orElseGet(
            () ->
                new AdminAction.Result(
                    404, "{\"error\":\"no iteration recorded for this name and type\"}\n"));
  }

  /** The name asked for, relative names taken as absolute; null if missing or not a name. */
  private static Name name(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Name.fromString(text.trim(), Name.root);
    } catch (TextParseException notAName) {
      return null;
    }
  }
}
