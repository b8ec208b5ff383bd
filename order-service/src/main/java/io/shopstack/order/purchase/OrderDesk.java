package io.shopstack.order.purchase;

import io.shopstack.order.product.Catalog;
import io.shopstack.order.product.Product;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Places an order exactly once per idempotency key, whichever instance each retry reaches: the
 * database's unique key on {@code idempotency_key} decides, so two instances racing on one key
 * place one order and both answer with it. An order is stored only for a course of the catalog at
 * the catalog's price, checked by the insert itself, so no price change can slip in between.
 */
@Service
class OrderDesk {

  /** What a request placed: a new order, or the one an earlier request with its key placed. */
  record Placement(PurchaseOrder order, boolean replayed) {}

  private final PurchaseOrderRepository orders;
  private final GroupCommit commits;
  private final Catalog catalog;

  OrderDesk(PurchaseOrderRepository orders, GroupCommit commits, Catalog catalog) {
    this.orders = orders;
    this.commits = commits;
    this.catalog = catalog;
  }

  Placement place(NewOrder order, String servedBy, String clientAddress, String key) {
    // Millisecond precision: what both H2 and PostgreSQL store, so GET shows what POST said.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    OffsetDateTime createdAt = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    try {
      // Insert first: a new order, by far the most common request, costs this one statement. A
      // retry costs a second one, the look-up of the order its key placed.
      // Two tries: the catalog may change between a refused insert and the look-up of why.
      for (int attempt = 1; ; attempt++) {
        // Committed with the orders other requests placed at the same moment (GroupCommit).
        OptionalLong id = commits.saveIfInCatalog(order, servedBy, clientAddress, createdAt, key);
        if (id.isPresent()) {
          return new Placement(
              new PurchaseOrder(id.getAsLong(), order, servedBy, clientAddress, now), false);
        }
        // Before the catalog's verdict: a retry of an order placed before a price change still
        // gets its order.
        Optional<PurchaseOrder> earlier = earlierOrder(key);
        if (earlier.isPresent()) {
          return replay(earlier.get(), order);
        }
        Optional<RuntimeException> refusal = catalogRefusal(order);
        if (refusal.isPresent()) {
          throw refusal.get();
        }
        if (attempt == 2) {
          throw new IllegalStateException("the catalog changed twice while placing an order");
        }
      }
    } catch (DuplicateKeyException raced) {
      // H2 may still report the key another request was inserting at the same moment.
      PurchaseOrder winner =
          earlierOrder(key)
              .orElseThrow(() -> new IllegalStateException("duplicate key but no order", raced));
      return replay(winner, order);
    }
  }

  private Optional<PurchaseOrder> earlierOrder(String key) {
    return key == null ? Optional.empty() : orders.findByIdempotencyKey(key);
  }

  /**
   * Why the catalog refused the order: the course must exist, by the catalog's author, at the
   * catalog's price. Only asked after a refused insert, so an accepted order costs no extra query.
   */
  private Optional<RuntimeException> catalogRefusal(NewOrder order) {
    Optional<Product> found = catalog.findByTitle(order.className());
    if (found.isEmpty()) {
      return Optional.of(
          new UnknownCourseException(
              "order.className", "is not a course the shop sells (GET /products)"));
    }
    Product course = found.get();
    if (!course.author().equals(order.author())) {
      return Optional.of(
          new UnknownCourseException(
              "order.Author", "is not the author of " + course.title() + " (GET /products)"));
    }
    if (course.price().compareTo(order.price()) != 0) {
      return Optional.of(new PriceChangedException(course, OrderForm.priceText(order.price())));
    }
    return Optional.empty();
  }

  private static Placement replay(PurchaseOrder earlier, NewOrder order) {
    if (!sameOrder(earlier.order(), order)) {
      throw new KeyReusedException(earlier.id());
    }
    return new Placement(earlier, true);
  }

  /** Same fields, prices compared as numbers ("68" and "68.00" are one price). */
  private static boolean sameOrder(NewOrder stored, NewOrder sent) {
    return stored.date().equals(sent.date())
        && stored.className().equals(sent.className())
        && stored.author().equals(sent.author())
        && stored.price().compareTo(sent.price()) == 0;
  }
}
