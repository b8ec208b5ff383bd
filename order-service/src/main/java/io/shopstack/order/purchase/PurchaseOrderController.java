package io.shopstack.order.purchase;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopstack.order.system.Problem;
import io.shopstack.order.system.ShopProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The last step of the journey: the app's {@code POST /purchaseOrder}, reaching this instance
 * through the SLB's VIP, becomes a row in {@code purchase_order} and a {@code 201 Created}.
 */
@RestController
class PurchaseOrderController {

  private final PurchaseOrderRepository orders;
  private final OrderDesk desk;
  private final String instance;
  private final Counter created;
  private final Counter replayed;

  PurchaseOrderController(
      PurchaseOrderRepository orders, OrderDesk desk, ShopProperties shop, MeterRegistry registry) {
    this.orders = orders;
    this.desk = desk;
    this.instance = shop.instance();
    this.created =
        Counter.builder("shop.orders.placed")
            .description("Purchase orders stored by this instance")
            .register(registry);
    this.replayed =
        Counter.builder("shop.orders.replayed")
            .description("Retries answered with the order their Idempotency-Key placed earlier")
            .register(registry);
  }

  /**
   * Places the order, or with an {@code Idempotency-Key} that already placed this same order,
   * answers with that order again (same id, 201, {@code Idempotent-Replayed: true}).
   */
  // produces: a client that cannot take JSON is refused (406) before its order is placed, not after
  @PostMapping(
      path = "/purchaseOrder",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<PurchaseOrderResponse> place(
      @RequestBody PurchaseOrderRequest request,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key,
      HttpServletRequest http) {
    // With shop.proxy-protocol on, Jetty already put the address from the SLB's PROXY header here.
    return place(request, key, http.getRemoteAddr());
  }

  /** The order's answer, for Spring MVC's mapping above and for {@link OrderFastPath}. */
  ResponseEntity<PurchaseOrderResponse> place(
      PurchaseOrderRequest request, String key, String clientAddress) {
    String idempotencyKey = IdempotencyKey.check(key);
    if (request.order() == null) {
      throw new InvalidOrderException("order", "is required: send {\"order\": {...}}");
    }
    NewOrder order = request.order().validate();
    OrderDesk.Placement placement = desk.place(order, instance, clientAddress, idempotencyKey);
    PurchaseOrder stored = placement.order();
    (placement.replayed() ? replayed : created).increment();
    ResponseEntity.BodyBuilder answer =
        ResponseEntity.created(URI.create("/purchaseOrder/" + stored.id()));
    if (placement.replayed()) {
      answer.header(IdempotencyKey.REPLAYED, "true");
    }
    return answer.body(PurchaseOrderResponse.of(stored));
  }

  static final int MAX_PAGE = 100;

  /**
   * The stored orders, newest first, {@code limit} (1 to 100, default 20) at a time, filtered by
   * {@code servedBy}, {@code className}, {@code Author} and {@code date}; {@code next} links the
   * following page with the same filters.
   */
  @GetMapping(path = "/purchaseOrder", produces = MediaType.APPLICATION_JSON_VALUE)
  OrderPage list(
      @RequestParam(required = false) String servedBy,
      @RequestParam(required = false) String className,
      @RequestParam(name = "Author", required = false) String author,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
      @RequestParam(required = false) Long before,
      @RequestParam(defaultValue = "20") int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new InvalidOrderException("limit", "must be between 1 and " + MAX_PAGE);
    }
    OrderFilter filter = new OrderFilter(servedBy, className, author, date);
    List<PurchaseOrder> page = orders.list(filter, before, limit);
    String next = null;
    if (page.size() == limit) {
      next =
          UriComponentsBuilder.fromPath("/purchaseOrder")
              .queryParamIfPresent("servedBy", Optional.ofNullable(servedBy))
              .queryParamIfPresent("className", Optional.ofNullable(className))
              .queryParamIfPresent("Author", Optional.ofNullable(author))
              .queryParamIfPresent("date", Optional.ofNullable(date))
              .queryParam("before", page.get(page.size() - 1).id())
              .queryParam("limit", limit)
              .encode()
              .build()
              .toUriString();
    }
    return new OrderPage(page.stream().map(PurchaseOrderResponse::of).toList(), next);
  }

  @GetMapping("/purchaseOrder/{id}")
  ResponseEntity<?> show(@PathVariable long id) {
    return orders
        .findById(id)
        .<ResponseEntity<?>>map(stored -> ResponseEntity.ok(PurchaseOrderResponse.of(stored)))
        .orElseGet(() -> Problem.of(HttpStatus.NOT_FOUND, "no purchase order " + id));
  }

  @ExceptionHandler({
    InvalidOrderException.class,
    UnknownCourseException.class,
    PriceChangedException.class,
    KeyReusedException.class
  })
  ResponseEntity<Problem> refused(RuntimeException e) {
    return refusal(e).orElseThrow(() -> e);
  }

  /**
   * The answer to an order this service refuses, for Spring MVC's handler above and for {@link
   * OrderFastPath}; empty for any other failure.
   */
  static Optional<ResponseEntity<Problem>> refusal(RuntimeException e) {
    if (e instanceof InvalidOrderException invalid) {
      return Optional.of(Problem.of(HttpStatus.BAD_REQUEST, e.getMessage(), invalid.fields()));
    }
    if (e instanceof UnknownCourseException unknown) {
      return Optional.of(
          Problem.of(
              HttpStatus.UNPROCESSABLE_CONTENT,
              e.getMessage(),
              List.of(new Problem.InvalidField(unknown.field(), unknown.problem()))));
    }
    if (e instanceof PriceChangedException changed) {
      // 409 with the catalog's price as currentPrice, in the contract's own spelling
      String current = OrderForm.priceText(changed.course().price());
      return Optional.of(
          Problem.of(
              HttpStatus.CONFLICT,
              e.getMessage(),
              List.of(new Problem.InvalidField("order.price", "the current price is " + current)),
              Map.of("currentPrice", current, "sku", changed.course().sku())));
    }
    if (e instanceof KeyReusedException) {
      return Optional.of(
          Problem.of(
              HttpStatus.UNPROCESSABLE_CONTENT,
              e.getMessage(),
              List.of(
                  new Problem.InvalidField(
                      IdempotencyKey.HEADER, "already used with another body"))));
    }
    return Optional.empty();
  }
}
