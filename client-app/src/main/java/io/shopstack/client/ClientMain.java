package io.shopstack.client;

import io.shopstack.client.cli.ClientCommand;
import java.util.HashMap;
import java.util.Map;

/**
 * The app's entry point: the command line of {@link ClientCommand}, configured from the environment
 * (and system properties, as every service's ConfigLoader reads them).
 */
public final class ClientMain {
  private ClientMain() {}

  public static void main(String[] args) {
    Map<String, String> variables = new HashMap<>(System.getenv());
    System.getProperties().forEach((k, v) -> variables.put(k.toString(), v.toString()));
    Terminal terminal = Terminal.detect(System.getenv(), System.console() != null);
    System.exit(ClientCommand.execute(variables, terminal, System.out, System.err, args));
  }
}
