package io.shopstack.common.admin;

import java.util.Map;

/**
 * A read-only JSON resource a service offers on its admin port besides /health and /metrics, such
 * as the resolver's {@code GET /trace?name=...}. It runs on the admin event loop, so it must only
 * read what the service already holds in memory.
 */
@FunctionalInterface
public interface AdminPage {
  /** The page for the request's query parameters (first value of each); the body is JSON. */
  AdminAction.Result render(Map<String, String> parameters);
}
