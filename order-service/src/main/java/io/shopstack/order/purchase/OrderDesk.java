package io.shopstack.order.purchase;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Places an order exactly once per idempotency key, whichever instance each retry reaches: the
 * database's unique key on {@code idempotency_key} decides, so two instances racing on one key
 * place one order and both answer with it.
 */
@Service
class OrderDesk {

  /** What a request placed: a new order, or the one an earlier request with its key placed. */
  record Placement(PurchaseOrder order, boolean replayed) {}

  private final PurchaseOrderRepository orders;

  OrderDesk(PurchaseOrderRepository orders) {
    this.orders = orders;
  }

  Placement place(NewOrder order, String servedBy, String clientAddress, String key) {
    if (key != null) {
      // The cheap path for a retry: no failed insert, no index contention.
      var earlier = orders.findByIdempotencyKey(key);
      if (earlier.isPresent()) {
        return replay(earlier.get(), order);
      }
    }
    // Millisecond precision: what both H2 and PostgreSQL store, so GET shows what POST said.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try {
      long id =
          orders.save(
              order, servedBy, clientAddress, OffsetDateTime.ofInstant(now, ZoneOffset.UTC), key);
      return new Placement(new PurchaseOrder(id, order, servedBy, clientAddress, now), false);
    } catch (DuplicateKeyException raced) {
      // Another request with this key committed between our look-up and our insert.
      PurchaseOrder winner =
          orders
              .findByIdempotencyKey(key)
              .orElseThrow(() -> new IllegalStateException("duplicate key but no order", raced));
      return replay(winner, order);
    }
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
