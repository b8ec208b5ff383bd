package io.shopstack.dns.resolver.trace;

import io.shopstack.common.admin.AdminAction;
import io.shopstack.common.admin.AdminPage;
import io.shopstack.dns.resolver.cache.BoundedTtlMap;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

  private record Key(String name, String type) {}

  private final BoundedTtlMap<Key, ResolutionTrace> last;

  public TraceLog(InstantSource clock) {
    this.last = new BoundedTtlMap<>(MAX_NAMES, clock);
  }

  public void record(ResolutionTrace trace) {
    if (trace.wentUpstream()) {
      last.put(key(trace.name(), trace.type()), trace, KEEP_SECONDS);
    }
  }

  public Optional<ResolutionTrace> last(String name, String type) {
    return last.get(key(name, type)).map(BoundedTtlMap.Aged::value);
  }

  /** The admin page: 400 without a name or with an unknown type, 404 if nothing was traced. */
  public AdminPage page() {
    return this::render;
  }

  private AdminAction.Result render(Map<String, String> parameters) {
    String name = parameters.get("name");
    String type = parameters.getOrDefault("type", "A");
    if (name == null || name.isBlank() || Type.value(type) < 0) {
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

  private static Key key(String name, String type) {
    String absolute = name.endsWith(".") ? name : name + ".";
    return new Key(absolute.toLowerCase(Locale.ROOT), type.toUpperCase(Locale.ROOT));
  }
}
