package io.shopstack.client.journey;

import io.shopstack.client.ClientConfig;

/**
 * For each failed step, the command a user types to ask the same server the same question by hand:
 * dig against the configured resolver when a name did not resolve, curl with the address pinned
 * ({@code --resolve}, so curl skips its own DNS) and from the phone's address when an HTTP exchange
 * failed. The hint names the server the step was talking to, so it points where to look.
 */
final class JourneyChecks {
  private final ClientConfig config;

  JourneyChecks(ClientConfig config) {
    this.config = config;
  }

  /**
   * @param step a step's result
   * @param shopAddress the VIP from step 1, or null
   * @param edgeAddress the edge from step 1, or null
   * @return the step, with a check command when it failed
   */
  StepResult explain(StepResult step, String shopAddress, String edgeAddress) {
    if (step.ok()) {
      return step;
    }
    return switch (step.name()) {
      case "resolve" ->
          step.withCheck(dig(shopAddress == null ? config.shopHost() : config.staticHost()));
      case "pictures" ->
          step.withCheck(
              edgeAddress == null
                  ? dig(config.staticHost())
                  : curl(config.staticHost(), edgeAddress, "/products/" + config.sku(), ""));
      case "buy" ->
          step.withCheck(
              shopAddress == null
                  ? dig(config.shopHost())
                  : curl(
                      config.shopHost(),
                      shopAddress,
                      "/purchaseOrder",
                      " -H 'Content-Type: "
                          + BuyStep.CONTENT_TYPE
                          + "' --data-binary "
                          + quoted(config.orderBody())));
      default -> step;
    };
  }

  String dig(String name) {
    return "dig @%s -p %d%s %s A"
        .formatted(config.resolver().address(), config.resolver().port(), bindOption("-b"), name);
  }

  private String curl(String host, String address, String path, String extra) {
    int port = config.httpPort();
    return "curl -v%s --resolve %s:%d:%s%s 'http://%s:%d%s'"
        .formatted(bindOption("--interface"), host, port, address, extra, host, port, path);
  }

  /** The phone's source address, when it is a fixed one: GSLB and the SLB both look at it. */
  private String bindOption(String option) {
    return config.bindInetAddress().isAnyLocalAddress()
        ? ""
        : " " + option + " " + config.bindAddress();
  }

  /** Single-quoted for a POSIX shell. */
  static String quoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
