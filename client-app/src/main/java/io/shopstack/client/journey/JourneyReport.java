package io.shopstack.client.journey;

import io.shopstack.client.Failure;
import io.shopstack.client.dns.DnsLookup;
import io.shopstack.client.dns.GslbExplanation;
import io.shopstack.client.dns.IterationTrace;
import io.shopstack.client.http.HttpExchange;
import io.shopstack.client.net.PacketPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the journey saw, for tests to assert and for the summary. Fields are null (or empty)
 * when the step that would have produced them failed or could not run.
 *
 * @param shopLookup the answer for www.shop.example
 * @param staticLookup the answer for static.shop.example (its CNAME chain into the CDN)
 * @param shopAddress the SLB VIP the order went to
 * @param edgeAddress the CDN edge GSLB chose for this client
 * @param traces the resolver's own traces of its iterations (www, then static), as it served them
 * @param gslb the GSLB's TXT explanation of its choice for this client, or null
 * @param page the first product page request
 * @param imageLookups the second resolutions of the pictures' host names
 * @param images one exchange per picture
 * @param reload the page requested again, expected from the edge's cache
 * @param orderExchange the {@code POST /purchaseOrder}
 * @param order what the order service answered
 * @param path how the purchase's packets crossed the network (route, hops, router captures), or
 *     null when the purchase was not sent
 * @param steps resolve, pictures, buy, in order
 */
public record JourneyReport(
    DnsLookup shopLookup,
    DnsLookup staticLookup,
    String shopAddress,
    String edgeAddress,
    List<IterationTrace> traces,
    GslbExplanation gslb,
    HttpExchange page,
    List<DnsLookup> imageLookups,
    List<HttpExchange> images,
    HttpExchange reload,
    HttpExchange orderExchange,
    OrderResult order,
    PacketPath path,
    List<StepResult> steps) {

  public JourneyReport {
    traces = List.copyOf(traces);
    imageLookups = List.copyOf(imageLookups);
    images = List.copyOf(images);
    steps = List.copyOf(steps);
  }

  /** True only when every step succeeded. */
  public boolean success() {
    return !steps.isEmpty() && steps.stream().allMatch(StepResult::ok);
  }

  /** The CNAME chain of static.shop.example, from the question to the edge's name. */
  public List<String> cnameChain() {
    return staticLookup == null ? List.of() : staticLookup.cnameChain();
  }

  /** Every HTTP exchange in the order it happened. */
  public List<HttpExchange> exchanges() {
    List<HttpExchange> all = new ArrayList<>();
    all.add(page);
    all.addAll(images);
    all.add(reload);
    all.add(orderExchange);
    all.removeIf(Objects::isNull);
    return all;
  }

  /**
   * 0 when every step succeeded, else the exit code of the first problem of the first failed step
   * (a later step failing only because an earlier one did carries the earlier one's layer).
   */
  public int exitCode() {
    return steps.stream()
        .flatMap(s -> s.problems().stream())
        .findFirst()
        .map(p -> p.failure().exitCode())
        .orElse(steps.isEmpty() ? Failure.INTERNAL : Failure.OK);
  }

  /** The problems of all failed steps, each prefixed with its step. */
  public List<String> problems() {
    return steps.stream()
        .flatMap(s -> s.problems().stream().map(p -> s.name() + ": " + p.text()))
        .toList();
  }
}
