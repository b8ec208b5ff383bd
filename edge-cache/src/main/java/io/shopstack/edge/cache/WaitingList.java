package io.shopstack.edge.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request coalescing, after Varnish's waiting list: while one miss for a key is being fetched,
 * further misses for the same key wait for it instead of each going to the origin. When the fetch
 * ends the waiters look in the cache again; if the response was not stored they fetch for
 * themselves, and if the fetch failed they share its failure rather than stampede a sick origin.
 */
public final class WaitingList {
  private final ConcurrentHashMap<CacheKey, CompletableFuture<Void>> inFlight =
      new ConcurrentHashMap<>();

  /**
   * A place on the list. The leader must fetch and then call {@link #finish}; everyone else waits
   * for {@code fetched}.
   */
  public record Ticket(boolean leader, CompletableFuture<Void> fetched) {}

  public Ticket join(CacheKey key) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> existing = inFlight.putIfAbsent(key, mine);
    return existing == null ? new Ticket(true, mine) : new Ticket(false, existing);
  }

  /** Ends the leader's fetch; {@code failure} is null on success. Call after storing. */
  public void finish(CacheKey key, Ticket ticket, Throwable failure) {
    inFlight.remove(key, ticket.fetched());
    if (failure == null) {
      ticket.fetched().complete(null);
    } else {
      ticket.fetched().completeExceptionally(failure);
    }
  }

  public int inFlight() {
    return inFlight.size();
  }
}
