package io.shopstack.edge.cache;

import io.shopstack.edge.origin.OriginStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request coalescing, after Varnish's waiting list: while one miss for a key is being fetched,
 * further misses for the same key wait for it instead of each going to the origin. If the leader's
 * response is being kept whole for the cache, waiters follow its body as it arrives ({@link
 * #streaming}) instead of waiting for the end. Otherwise, when the fetch ends, the waiters look in
 * the cache again; if the response was not stored they fetch for themselves, and if the fetch
 * failed they share its failure rather than stampede a sick origin.
 */
public final class WaitingList {
  private final ConcurrentHashMap<CacheKey, Ticket> inFlight = new ConcurrentHashMap<>();

  /**
   * A place on the list. The leader must fetch and then call {@link #finish}; everyone else waits
   * for {@code streaming} (a body they can follow, or null) and then, without one, for {@code
   * fetched}.
   */
  public record Ticket(
      boolean leader, CompletableFuture<Void> fetched, CompletableFuture<OriginStream> streaming) {}

  public Ticket join(CacheKey key) {
    Ticket mine = new Ticket(true, new CompletableFuture<>(), new CompletableFuture<>());
    Ticket existing = inFlight.putIfAbsent(key, mine);
    return existing == null ? mine : new Ticket(false, existing.fetched(), existing.streaming());
  }

  /** The leader's response body, kept whole, can be followed by the waiters while it arrives. */
  public void streaming(Ticket ticket, OriginStream stream) {
    ticket.streaming().complete(stream);
  }

  /** Ends the leader's fetch; {@code failure} is null on success. Call after storing. */
  public void finish(CacheKey key, Ticket ticket, Throwable failure) {
    inFlight.remove(key, ticket);
    ticket.streaming().complete(null);
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
