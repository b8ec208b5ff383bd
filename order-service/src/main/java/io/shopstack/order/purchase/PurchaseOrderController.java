package io.shopstack.order.purchase;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopstack.order.system.ApiError;
import io.shopstack.order.system.ShopProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The last step of the journey: the app's {@code POST /purchaseOrder}, reaching this instance
 * through the SLB's VIP, becomes a row in {@code purchase_order} and a {@code 201 Created}.
 */
@RestController
class PurchaseOrderController {

  private final PurchaseOrderRepository orders;
  private final String instance;
  private final Counter created;

  PurchaseOrderController(
      PurchaseOrderRepository orders, ShopProperties shop, MeterRegistry registry) {
    this.orders = orders;
    this.instance = shop.instance();
    this.created =
        Counter.builder("shop.orders.placed")
            .description("Purchase orders stored by this instance")
            .register(registry);
  }

  @PostMapping(path = "/purchaseOrder", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<PurchaseOrderResponse> place(
      @RequestBody PurchaseOrderRequest request, HttpServletRequest http) {
    if (request.order() == null) {
      throw new InvalidOrderException("order", "is required: send {\"order\": {...}}");
    }
    NewOrder order = request.order().validate();
    // Until the SLB speaks PROXY protocol to us, the peer of the TCP connection is the client.
    String clientAddress = http.getRemoteAddr();
    // Millisecond precision: what both H2 and PostgreSQL store, so GET shows what POST said.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long id =
        orders.save(order, instance, clientAddress, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
    created.increment();
    PurchaseOrder stored = new PurchaseOrder(id, order, instance, clientAddress, now);
    return ResponseEntity.created(URI.create("/purchaseOrder/" + id))
        .body(PurchaseOrderResponse.of(stored));
  }

  @GetMapping("/purchaseOrder/{id}")
  ResponseEntity<?> show(@PathVariable long id) {
    return orders
        .findById(id)
        .<ResponseEntity<?>>map(stored -> ResponseEntity.ok(PurchaseOrderResponse.of(stored)))
        .orElseGet(() -> ApiError.of(HttpStatus.NOT_FOUND, "no purchase order " + id));
  }

  @ExceptionHandler
  ResponseEntity<ApiError> invalid(InvalidOrderException e) {
    return ApiError.of(HttpStatus.BAD_REQUEST, e.getMessage(), e.field());
  }
}
