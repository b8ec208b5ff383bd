package io.shopstack.slb.operations;

import io.shopstack.slb.SlbConfig;
import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.backend.BackendSpec;
import io.shopstack.slb.backend.BackendState;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The runtime API's language, a subset of HAProxy's with its words, so an operator's habits (and
 * {@code echo "..." | socat stdio TCP:...}) carry over. A server is named {@code host:port} after
 * the name of its frontend and a slash, as HAProxy's {@code be/srv}; the frontend may be left out
 * when there is only one.
 *
 * <pre>
 * add server [FRONTEND/]HOST:PORT [weight N] [maxconn N] [maxqueue N] [init-state up|down]
 * del server [FRONTEND/]HOST:PORT
 * set server [FRONTEND/]HOST:PORT state ready|drain|maint
 * set server [FRONTEND/]HOST:PORT weight N
 * show servers state
 * reload
 * help
 * </pre>
 *
 * Every answer ends with an empty line; a refused command's answer starts with {@code error:}.
 */
final class RuntimeCommands {
  static final String HELP =
      """
      add server [FRONTEND/]HOST:PORT [weight N] [maxconn N] [maxqueue N] [init-state up|down]
      del server [FRONTEND/]HOST:PORT
      set server [FRONTEND/]HOST:PORT state ready|drain|maint
      set server [FRONTEND/]HOST:PORT weight N
      show servers state
      reload
      help
      """;

  // Asked per command: a reload may add or remove frontends.
  private final Supplier<Map<String, BackendChanges>> frontends;
  private final ConfigReload reload;
  private final RuntimeLevel level;

  /**
   * @param frontends each running frontend's changes by its name, in configuration order
   * @param reload may be null: the SLB was started without a file to read again
   * @param level what this socket's clients may do
   */
  RuntimeCommands(
      Supplier<Map<String, BackendChanges>> frontends, ConfigReload reload, RuntimeLevel level) {
    this.frontends = frontends;
    this.reload = reload;
    this.level = level;
  }

  RuntimeLevel level() {
    return level;
  }

  /** Runs one command line; the answer, ending with an empty line. */
  String run(String line, String by) {
    try {
      return answer(line.trim(), by) + "\n";
    } catch (IllegalArgumentException refused) {
      return "error: " + refused.getMessage() + "\n\n";
    }
  }

  private String answer(String line, String by) {
    List<String> words = Arrays.asList(line.split("\\s+"));
    String verb = words.size() >= 2 ? words.get(0) + " " + words.get(1) : line;
    switch (verb) {
      case "add server":
        level.require(RuntimeLevel.ADMIN, verb);
        BackendSpec spec = spec(words); // its usage message first when words are missing
        return frontendOf(words).add(spec, by);
      case "del server":
        level.require(RuntimeLevel.ADMIN, verb);
        exactly(words, 3);
        return frontendOf(words).remove(server(words.get(2)), by);
      case "set server":
        level.require(RuntimeLevel.OPERATOR, verb);
        exactly(words, 5);
        BackendChanges changes = frontendOf(words);
        return switch (words.get(3)) {
          case "state" -> changes.state(server(words.get(2)), AdminState.of(words.get(4)), by);
          case "weight" -> changes.weight(server(words.get(2)), number(words.get(4)), by);
          default -> throw new IllegalArgumentException("set server takes state or weight");
        };
      case "show servers":
        StringBuilder state = new StringBuilder(BackendChanges.SHOW_HEADER);
        frontends.get().values().forEach(frontend -> state.append(frontend.show()));
        return state.toString();
      default:
        break;
    }
    if (line.equals("reload")) {
      level.require(RuntimeLevel.ADMIN, line);
      if (reload == null) {
        throw new IllegalArgumentException("this SLB was not started from a file to reload");
      }
      return reload.reload(by);
    }
    if (line.equals(ListenerHandover.COMMAND)) {
      level.require(RuntimeLevel.ADMIN, line);
      throw new IllegalArgumentException(line + " only on a Unix runtime API socket");
    }
    if (line.equals("help") || line.isEmpty()) {
      return HELP;
    }
    throw new IllegalArgumentException("unknown command '" + line + "'; try help");
  }

  private static BackendSpec spec(List<String> words) {
    if (words.size() < 3 || words.size() % 2 == 0) {
      throw new IllegalArgumentException("usage: " + HELP.lines().findFirst().orElseThrow());
    }
    int weight = 1;
    int maxconn = 0;
    int maxqueue = 0;
    BackendState initState = null;
    for (int i = 3; i < words.size(); i += 2) {
      String value = words.get(i + 1);
      switch (words.get(i)) {
        case "weight" -> weight = number(value);
        case "maxconn" -> maxconn = number(value);
        case "maxqueue" -> maxqueue = number(value);
        case "init-state" -> initState = SlbConfig.initState(value, String.join(" ", words));
        default ->
            throw new IllegalArgumentException("unknown server option '" + words.get(i) + "'");
      }
    }
    return new BackendSpec(
        SlbConfig.address(server(words.get(2))), weight, maxconn, maxqueue, initState);
  }

  /** The frontend the server word names ({@code frontend/host:port}), or the only one. */
  private BackendChanges frontendOf(List<String> words) {
    if (words.size() < 3) {
      throw new IllegalArgumentException("wrong number of words; try help");
    }
    String word = words.get(2);
    int slash = word.indexOf('/');
    return FrontendChoice.of(
        frontends.get(), slash < 0 ? null : word.substring(0, slash), server(word), false);
  }

  private static String server(String word) {
    return word.substring(word.indexOf('/') + 1);
  }

  private static void exactly(List<String> words, int count) {
    if (words.size() != count) {
      throw new IllegalArgumentException("wrong number of words; try help");
    }
  }

  private static int number(String word) {
    try {
      return Integer.parseInt(word);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + word, e);
    }
  }
}
