package io.shopstack.dns.resolver.control;

import io.shopstack.common.admin.AdminAction;
import io.shopstack.dns.resolver.cache.RecordCache;
import io.shopstack.dns.resolver.delegation.DelegationCache;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The operator's hands on the cache, as unbound-control gives them: {@code POST /flush?name=N}
 * forgets every answer at N (any type, any ECS scope), {@code POST /flush_zone?name=Z} every answer
 * and zone cut at Z or below, {@code POST /dump_cache} lists what is cached. After a zone was fixed
 * upstream, this is how its old answers leave before their TTLs run out.
 */
public final class CacheControl {
  private final RecordCache records;
  private final DelegationCache delegations;

  public CacheControl(RecordCache records, DelegationCache delegations) {
    this.records = records;
    this.delegations = delegations;
  }

  /** The admin actions, by path. */
  public Map<String, AdminAction> actions() {
    return Map.of(
        "/flush",
        named(name -> "ok removed " + records.flush(name) + " entries\n"),
        "/flush_zone",
        named(
            zone ->
                "ok removed "
                    + records.flushZone(zone)
                    + " entries and "
                    + delegations.flushZone(zone)
                    + " zone cuts\n"),
        "/dump_cache",
        () -> AdminAction.Result.ok(String.join("\n", records.dump()) + "\n"));
  }

  /** An action that needs {@code ?name=}: 400 without one or with a malformed one. */
  private static AdminAction named(java.util.function.Function<Name, String> action) {
    return new AdminAction() {
      @Override
      public Result run() {
        return new Result(400, "error: use ?name=NAME\n");
      }

      @Override
      public Result run(Map<String, String> parameters) {
        String text = parameters.get("name");
        if (text == null || text.isBlank()) {
          return run();
        }
        try {
          return Result.ok(action.apply(Name.fromString(text.trim(), Name.root)));
        } catch (TextParseException malformed) {
          return new Result(400, "error: not a domain name: " + text + "\n");
        }
      }
    };
  }
}
