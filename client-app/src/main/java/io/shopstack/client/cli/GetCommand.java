package io.shopstack.client.cli;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.Failure;
import io.shopstack.client.http.HttpExchange;
import io.shopstack.client.http.HttpHeaders;
import io.shopstack.client.http.HttpRequest;
import io.shopstack.client.http.SocketHttpClient;
import io.shopstack.client.journey.JourneyJson;
import io.shopstack.client.journey.JourneyPrinter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;

/** One HTTP GET as the phone makes it: resolved through our DNS, from the phone's address. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "One HTTP GET through our DNS, with connection and cache facts.",
      "Resolve the URL's host through the configured local resolver, connect from the phone's"
          + " address and GET it once, printing the TCP connection (local -> remote), the status,"
          + " the cache facts (X-Cache, Age, Via, X-Served-By) and every response header. Exit 0"
          + " for a status below 400, 5 from 400 on (as curl --fail), 3 or 4 when DNS or TCP"
          + " failed."
    })
final class GetCommand implements Callable<Integer> {
  @ParentCommand private ClientCommand app;
  @Spec private CommandSpec spec;

  @Parameters(
      paramLabel = "URL",
      description = "an http:// URL, e.g. http://static.shop.example:8080/products/course-1001")
  private URI url;

  @Option(names = "--body", description = "print the response body as text too")
  private boolean printBody;

  @Option(
      names = "--json",
      description =
          "print the facts as one JSON document (lookup, exchange, responseHeaders; README),"
              + " the narration to stderr")
  private boolean json;

  @Override
  public Integer call() {
    if (url.getScheme() == null
        || !url.getScheme().toLowerCase(Locale.ROOT).equals("http")
        || url.getHost() == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "only absolute http:// URLs: " + url);
    }
    ClientConfig config = app.config();
    JourneyPrinter out = json ? new JourneyPrinter(app.err()) : app.printer();
    PrintStream text = json ? app.err() : app.out();
    CommandJson result = new CommandJson();
    result.document().put("url", url.toString());
    ShopAddress.Resolution address = ShopAddress.lookup(url.getHost(), config, out);
    result.document().set("lookup", JourneyJson.lookup(address.lookup()));
    result.document().put("address", address.address());
    result.document().putNull("exchange");
    result.document().putNull("responseHeaders");
    if (address.address() == null) {
      result.error(address.problem());
      return result.finish(json, app.out(), Failure.DNS.exitCode());
    }
    int port = url.getPort() == -1 ? 80 : url.getPort();
    String target =
        (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
            + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    HttpRequest request = HttpRequest.get(url.getHost(), target);
    SocketHttpClient http =
        new SocketHttpClient(
            config.bindInetAddress(), config.timeouts().connect(), config.timeouts().read());
    out.request(request, url.toString());
    HttpExchange exchange;
    try {
      exchange =
          http.send(
              new InetSocketAddress(ClientConfig.ipLiteral(address.address(), "address"), port),
              request,
              out.connectionPrinter());
    } catch (IOException e) {
      out.problem(e.getMessage());
      out.check(
          "curl -v --resolve %s:%d:%s '%s'".formatted(url.getHost(), port, address.address(), url));
      result.error(e.getMessage());
      return result.finish(json, app.out(), Failure.ofExchange(e).exitCode());
    }
    out.response(exchange, JourneyPrinter.HOP_HEADERS);
    result.document().set("exchange", JourneyJson.exchange(exchange));
    ArrayNode headers = result.document().putArray("responseHeaders");
    for (HttpHeaders.Field field : exchange.response().headers().fields()) {
      text.println("    < " + field.name() + ": " + field.value());
      headers.addObject().put("name", field.name()).put("value", field.value());
    }
    if (printBody) {
      text.println();
      text.println(exchange.response().bodyText());
    }
    if (exchange.status() >= 400) {
      result.error(
          "status " + exchange.status() + " from " + JourneyPrinter.endpoint(exchange.remote()));
    }
    return result.finish(
        json, app.out(), exchange.status() < 400 ? Failure.OK : Failure.HTTP.exitCode());
  }
}
