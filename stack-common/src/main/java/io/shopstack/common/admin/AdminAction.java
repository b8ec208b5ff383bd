package io.shopstack.common.admin;

import java.util.Map;

/**
 * An operator command a service offers on its admin port besides /health and /metrics, such as
 * {@code POST /reload} on a DNS server. It runs off the admin event loop, so a slow action (parsing
 * a large zone) never makes /health look dead; what it returns is sent back as plain text.
 */
@FunctionalInterface
public interface AdminAction {
  /**
   * The parameter holding the rest of the path for an action registered under a path ending in
   * {@code /*}, which takes every path below it: {@code www/10.0.0.1:80/drain} for {@code POST
   * /backends/www/10.0.0.1:80/drain} to {@code /backends/*}, for paths that name things the service
   * adds and removes while it runs.
   */
  String REST_OF_PATH = "*";

  /** The outcome: an HTTP status and a short human-readable body. */
  record Result(int status, String body) {
    public static Result ok(String body) {
      return new Result(200, body);
    }
  }

  Result run();

  /**
   * The action with the request's query parameters (first value of each), for a command that names
   * what it acts on, such as the resolver's {@code POST /flush?name=...}; most actions need none
   * and keep the default.
   */
  default Result run(Map<String, String> parameters) {
    return run();
  }
}
