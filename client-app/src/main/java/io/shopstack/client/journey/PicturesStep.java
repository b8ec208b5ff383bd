package io.shopstack.client.journey;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.Failure;
import io.shopstack.client.dns.AnswerRecord;
import io.shopstack.client.dns.DnsLookup;
import io.shopstack.client.dns.StubResolver;
import io.shopstack.client.http.HttpExchange;
import io.shopstack.client.http.HttpRequest;
import io.shopstack.client.http.SocketHttpClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.Type;

/**
 * Step 2: the product page and its pictures from the CDN edge GSLB chose. The first page request
 * may be a miss (the edge goes back to the data-centre cache, pictures to the object store); the
 * reload must be a hit, served by the edge alone.
 */
final class PicturesStep {
  record Outcome(
      HttpExchange page,
      List<DnsLookup> imageLookups,
      List<HttpExchange> images,
      HttpExchange reload,
      StepResult result) {}

  private final ClientConfig config;
  private final StubResolver resolver;
  private final SocketHttpClient http;
  private final JourneyPrinter out;

  private final List<StepResult.Problem> problems = new ArrayList<>();
  private final List<DnsLookup> imageLookups = new ArrayList<>();
  private final List<HttpExchange> images = new ArrayList<>();
  private HttpExchange page;
  private HttpExchange reload;

  PicturesStep(
      ClientConfig config, StubResolver resolver, SocketHttpClient http, JourneyPrinter out) {
    this.config = config;
    this.resolver = resolver;
    this.http = http;
    this.out = out;
  }

  /**
   * @param edgeAddress the edge from step 1, or null when step 1 found none
   * @param staticLookup step 1's answer for the static host, to compare the cached answer with
   */
  Outcome run(String edgeAddress, DnsLookup staticLookup) {
    long start = System.nanoTime();
    out.step(
        2,
        "Look at pictures",
        edgeAddress == null
            ? "product page and images from the CDN edge: none, step 1 found no address"
            : "product page and images from the CDN edge " + edgeAddress);
    if (edgeAddress == null) {
      problems.add(
          new StepResult.Problem(Failure.DNS, "no edge address to fetch from (step 1 failed)"));
    } else {
      try {
        fetch(
            new InetSocketAddress(
                ClientConfig.ipLiteral(edgeAddress, "edge address"), config.httpPort()),
            staticLookup);
      } catch (IOException e) {
        problem(Failure.ofExchange(e), e.getMessage());
      }
    }
    String summary =
        "page %s %s, %d picture(s) %s, reload %s"
            .formatted(
                page == null ? "-" : page.status(),
                page == null ? "" : page.header("X-Cache"),
                images.size(),
                images.stream().map(i -> String.valueOf(i.status())).toList(),
                reload == null ? "-" : reload.header("X-Cache"));
    StepResult result =
        new StepResult("pictures", summary, problems, Duration.ofNanos(System.nanoTime() - start));
    return new Outcome(page, imageLookups, images, reload, result);
  }

  private void fetch(InetSocketAddress edge, DnsLookup staticLookup) throws IOException {
    URI pageUrl = pageUrl();
    page = get(edge, pageUrl);
    if (!expectStatus(page, 200, "product page")) {
      return;
    }
    List<URI> pictures = ProductPage.imageUrls(page.response().bodyText(), pageUrl);
    if (pictures.isEmpty()) {
      problem(Failure.CHECK, "product page " + pageUrl + " has no <img src=...>");
      return;
    }
    out.note("the page shows " + pictures.size() + " picture(s): " + pictures);

    Map<String, InetSocketAddress> hosts = new HashMap<>();
    for (URI picture : pictures) {
      InetSocketAddress where = hosts.get(picture.getHost());
      if (where == null) {
        where = resolvePictureHost(picture, staticLookup);
        if (where == null) {
          continue;
        }
        hosts.put(picture.getHost(), where);
      }
      HttpExchange image = get(where, picture);
      images.add(image);
      if (expectStatus(image, 200, "picture " + picture.getPath())) {
        checkPng(image, picture);
      }
    }

    out.note("reload the page: this time the edge should answer from its cache");
    reload = get(edge, pageUrl);
    if (expectStatus(reload, 200, "reloaded page") && !isHit(reload.header("X-Cache"))) {
      problem(
          Failure.CHECK,
          "reload was not a cache hit (X-Cache: %s, Age: %s from %s)"
              .formatted(
                  reload.header("X-Cache"),
                  reload.header("Age"),
                  JourneyPrinter.endpoint(reload.remote())));
    }
  }

  private URI pageUrl() {
    String port = config.httpPort() == 80 ? "" : ":" + config.httpPort();
    return URI.create("http://" + config.staticHost() + port + "/products/" + config.sku());
  }

  private InetSocketAddress resolvePictureHost(URI picture, DnsLookup earlier) throws IOException {
    if (!picture.getScheme().equalsIgnoreCase("http")) {
      problem(Failure.CHECK, "cannot fetch " + picture + ": this client speaks plain http only");
      return null;
    }
    DnsLookup lookup;
    try {
      lookup = resolver.lookup(picture.getHost(), Type.A);
    } catch (IOException e) {
      problem(Failure.DNS, e.getMessage());
      return null;
    }
    imageLookups.add(lookup);
    out.dig(lookup);
    if (earlier != null && lookup.question().equalsIgnoreCase(earlier.question())) {
      out.note(explainRepeat(lookup, earlier));
    }
    if (!lookup.rcode().equals("NOERROR") || lookup.addresses().isEmpty()) {
      problem(Failure.DNS, lookup.rcode() + ", no address for picture host " + picture.getHost());
      return null;
    }
    int port = picture.getPort() == -1 ? 80 : picture.getPort();
    return new InetSocketAddress(
        ClientConfig.ipLiteral(lookup.addresses().get(0), "picture host address"), port);
  }

  private HttpExchange get(InetSocketAddress where, URI url) throws IOException {
    String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    HttpRequest request = HttpRequest.get(url.getHost(), target.isEmpty() ? "/" : target);
    out.request(request, url.toString());
    HttpExchange exchange = http.send(where, request, out.connectionPrinter());
    out.response(exchange, JourneyPrinter.HOP_HEADERS);
    String path = viaPath(exchange.response().headers().all("Via"));
    if (path != null) {
      out.note("hops behind the edge, as their Via headers say (origin side first): " + path);
    }
    return exchange;
  }

  /**
   * The proxies a response came through, from each {@code Via} element's received-by (RFC 9110
   * 7.6.3: every hop appends, so the origin side comes first); null when only one hop is named.
   */
  static String viaPath(List<String> via) {
    List<String> hops =
        via.stream()
            .flatMap(v -> java.util.Arrays.stream(v.split(",")))
            .map(String::strip)
            .map(element -> element.split("\\s+"))
            .filter(parts -> parts.length >= 2)
            .map(parts -> parts[1])
            .toList();
    return hops.size() < 2 ? null : String.join(" -> ", hops);
  }

  private boolean expectStatus(HttpExchange exchange, int expected, String what) {
    if (exchange.status() == expected) {
      return true;
    }
    problem(
        Failure.HTTP,
        "%s: status %d from %s (X-Served-By: %s)"
            .formatted(
                what,
                exchange.status(),
                JourneyPrinter.endpoint(exchange.remote()),
                exchange.header("X-Served-By")));
    return false;
  }

  private void checkPng(HttpExchange image, URI picture) {
    byte[] body = image.response().body();
    if (!PngImage.isPng(body)) {
      problem(
          Failure.CHECK,
          "picture "
              + picture.getPath()
              + " is not a PNG ("
              + body.length
              + " bytes, Content-Type "
              + image.header("Content-Type")
              + ")");
      return;
    }
    out.note("PNG " + PngImage.describe(body));
  }

  /**
   * Whether the edge answered from its cache. Our caches replace {@code X-Cache} with their own
   * verdict (an inner cache's moves to {@code X-Cache-Origin}); some CDNs append instead, so the
   * last element is taken, which is the hop nearest the client either way.
   */
  static boolean isHit(String xCache) {
    if (xCache == null || xCache.isBlank()) {
      return false;
    }
    String[] verdicts = xCache.split(",");
    return verdicts[verdicts.length - 1].strip().toUpperCase(Locale.ROOT).startsWith("HIT");
  }

  /**
   * A TTL that counted down is the sign of a cached answer; equal TTLs prove nothing either way.
   */
  private static String explainRepeat(DnsLookup now, DnsLookup before) {
    List<Long> ttlsNow = ttls(now);
    List<Long> ttlsBefore = ttls(before);
    boolean countedDown =
        ttlsNow.size() == ttlsBefore.size()
            && java.util.stream.IntStream.range(0, ttlsNow.size())
                .allMatch(i -> ttlsNow.get(i) <= ttlsBefore.get(i))
            && !ttlsNow.equals(ttlsBefore);
    return "asked again, answered in %d ms: TTLs %s, first time %s%s"
        .formatted(
            now.took().toMillis(),
            ttlsNow,
            ttlsBefore,
            countedDown
                ? " -- counted down, so the resolver answered from its cache"
                : " -- unchanged: under a second passed, or the resolver fetched it again");
  }

  private static List<Long> ttls(DnsLookup lookup) {
    return lookup.answers().stream().map(AnswerRecord::ttl).toList();
  }

  private void problem(Failure failure, String text) {
    out.problem(text);
    problems.add(new StepResult.Problem(failure, text));
  }
}
