package io.shopstack.slb.operations;

import io.shopstack.slb.SlbConfig;
import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.backend.BackendSpec;
import io.shopstack.slb.backend.BackendState;
import java.util.Arrays;
import java.util.List;

/**
 * The runtime API's language, a subset of HAProxy's with its words, so an operator's habits (and
 * {@code echo "..." | socat stdio TCP:...}) carry over. A server is named {@code host:port}; a
 * {@code backend/} prefix, as HAProxy's {@code be/srv}, is accepted and ignored (one pool).
 *
 * <pre>
 * add server [be/]HOST:PORT [weight N] [maxconn N] [init-state up|down]
 * del server [be/]HOST:PORT
 * set server [be/]HOST:PORT state ready|drain|maint
 * set server [be/]HOST:PORT weight N
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
      add server [be/]HOST:PORT [weight N] [maxconn N] [init-state up|down]
      del server [be/]HOST:PORT
      set server [be/]HOST:PORT state ready|drain|maint
      set server [be/]HOST:PORT weight N
      show servers state
      reload
      help
      """;

  private final BackendChanges changes;
  private final ConfigReload reload;

  /** {@code reload} may be null: the SLB was started without a file to read again. */
  RuntimeCommands(BackendChanges changes, ConfigReload reload) {
    this.changes = changes;
    this.reload = reload;
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
        return changes.add(spec(words), by);
      case "del server":
        exactly(words, 3);
        return changes.remove(server(words.get(2)), by);
      case "set server":
        exactly(words, 5);
        return switch (words.get(3)) {
          case "state" -> changes.state(server(words.get(2)), AdminState.of(words.get(4)), by);
          case "weight" -> changes.weight(server(words.get(2)), number(words.get(4)), by);
          default -> throw new IllegalArgumentException("set server takes state or weight");
        };
      case "show servers":
        return changes.show();
      default:
        break;
    }
    if (line.equals("reload")) {
      if (reload == null) {
        throw new IllegalArgumentException("this SLB was not started from a file to reload");
      }
      return reload.reload(by);
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
    BackendState initState = null;
    for (int i = 3; i < words.size(); i += 2) {
      String value = words.get(i + 1);
      switch (words.get(i)) {
        case "weight" -> weight = number(value);
        case "maxconn" -> maxconn = number(value);
        case "init-state" -> initState = SlbConfig.initState(value, String.join(" ", words));
        default ->
            throw new IllegalArgumentException("unknown server option '" + words.get(i) + "'");
      }
    }
    return new BackendSpec(SlbConfig.address(server(words.get(2))), weight, maxconn, initState);
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
