package io.shopstack.edge.origin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A response from the origin whose body is still arriving: Varnish's "busy object". The head is
 * known; body chunks are appended on the origin connection's event loop while any number of {@link
 * Reader}s (the client whose miss opened it, and coalesced waiters on other loops) follow it each
 * at its own pace. Bytes are copied off the wire at once, so no reference-counted buffer ever
 * crosses a thread.
 *
 * <p>While the whole body is kept (it is to be stored, up to a size), the origin is read at full
 * speed and late readers start from the first byte. A body too large to keep is only relayed: each
 * chunk is dropped once every reader has taken it, and when more than {@link #HIGH_WATER_BYTES}
 * wait unread the origin connection stops reading until the readers catch up, so memory stays
 * bounded whatever the object's size.
 */
public final class OriginStream {
  /** Unread bytes of a relayed body above which the origin is paused. */
  static final long HIGH_WATER_BYTES = 1 << 20;

  /** Unread bytes below which a paused origin is read again. */
  static final long LOW_WATER_BYTES = 256 << 10;

  /** What the origin connection offers a stream: pausing reads, resuming them, giving up. */
  interface Flow {
    void pause();

    void resume();

    void cancel();
  }

  /** One follower of the body; its position is the index of the next chunk it takes. */
  public static final class Reader {
    private int next;
    private long taken;
    private Runnable wake;
  }

  /**
   * What {@link #take} hands a reader: new chunks, and whether the body ended (or how it failed).
   */
  public record Batch(List<byte[]> chunks, boolean done, Throwable failure) {}

  private final HttpResponseStatus status;
  private final HttpHeaders headers;
  private final long requestTimeMillis;
  private final long responseTimeMillis;
  private final Flow flow;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();

  // Guarded by this: written on the origin's loop, read on the readers' loops.
  private final ArrayList<byte[]> chunks = new ArrayList<>();
  private final List<Reader> readers = new ArrayList<>();
  private long keepUpTo;
  private boolean keepingWhole;
  private int dropped; // chunks before this index are gone (relayed bodies only)
  private long bytes;
  private boolean paused;
  private boolean done;
  private Throwable failure;

  OriginStream(
      HttpResponseStatus status,
      HttpHeaders headers,
      long requestTimeMillis,
      long responseTimeMillis,
      Flow flow) {
    this.status = status;
    this.headers = headers;
    this.requestTimeMillis = requestTimeMillis;
    this.responseTimeMillis = responseTimeMillis;
    this.flow = flow;
    this.keepingWhole = true;
    this.keepUpTo = Long.MAX_VALUE;
  }

  public HttpResponseStatus status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers;
  }

  /** The head as a response without content, for decisions that need no body. */
  public OriginResponse head() {
    return new OriginResponse(status, headers, new byte[0], requestTimeMillis, responseTimeMillis);
  }

  /** The origin's Content-Length, or -1 when it did not say. */
  public long declaredLength() {
    String length = headers.get(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH);
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Keeps the whole body only while it stays within {@code maxBytes}; past that (or at once with 0)
   * the body is relayed, never stored. Call before the first reader joins.
   */
  public synchronized void keepWholeUpTo(long maxBytes) {
    keepUpTo = maxBytes;
    if (bytes > maxBytes) {
      stopKeeping();
    }
  }

  /** Whether the whole body is still being kept, so that it can be stored when it ends. */
  public synchronized boolean keepsWhole() {
    return keepingWhole;
  }

  /** Completes when the body has ended, or fails as it did. */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  /** A new reader from the first byte, or null when the body is only relayed. */
  public synchronized Reader join() {
    if (!keepingWhole && !readers.isEmpty()) {
      return null;
    }
    Reader reader = new Reader();
    readers.add(reader);
    return reader;
  }

  /** The chunks the reader has not taken yet; it owns none of them, they are plain arrays. */
  public synchronized Batch take(Reader reader) {
    List<byte[]> taken = new ArrayList<>(chunks.subList(reader.next, chunks.size()));
    reader.next = chunks.size();
    for (byte[] chunk : taken) {
      reader.taken += chunk.length;
    }
    dropConsumed();
    if (paused && unread() < LOW_WATER_BYTES) {
      paused = false;
      flow.resume();
    }
    return new Batch(taken, done, failure);
  }

  /**
   * Runs {@code wake} (once, on whatever thread brings the news) when there is something for the
   * reader to take; at once if there already is.
   */
  public void whenReady(Reader reader, Runnable wake) {
    boolean now;
    synchronized (this) {
      now = reader.next < chunks.size() || done || failure != null;
      if (!now) {
        reader.wake = wake;
      }
    }
    if (now) {
      wake.run();
    }
  }

  /** The reader is gone (its client left). A relayed body nobody reads is abandoned. */
  public void leave(Reader reader) {
    boolean abandon;
    synchronized (this) {
      readers.remove(reader);
      reader.wake = null;
      dropConsumed();
      abandon = readers.isEmpty() && !keepingWhole && !done && failure == null;
      if (abandon) {
        failure = new OriginException(OriginException.Kind.UNREACHABLE, "no reader left", null);
      }
    }
    if (abandon) {
      flow.cancel();
      finished.completeExceptionally(failure);
    }
  }

  /** The whole body, once it ended and was kept. */
  public synchronized OriginResponse whole() {
    byte[] body = new byte[(int) bytes];
    int at = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, body, at, chunk.length);
      at += chunk.length;
    }
    return new OriginResponse(status, headers, body, requestTimeMillis, responseTimeMillis);
  }

  /**
   * The whole response once the body ended, for the paths that answer from complete bytes; fails
   * with {@code BAD_RESPONSE} past {@code maxBytes}.
   */
  public CompletableFuture<OriginResponse> aggregate(long maxBytes, String origin) {
    synchronized (this) {
      keepUpTo = Long.MAX_VALUE;
      if (bytes > maxBytes) {
        tooLarge(origin, maxBytes);
      }
      aggregateLimit = maxBytes;
      aggregateOrigin = origin;
    }
    return finished.thenApply(v -> whole());
  }

  private long aggregateLimit = Long.MAX_VALUE;
  private String aggregateOrigin;

  // ---- the origin connection's side (its event loop) ----

  void append(ByteBuf content) {
    if (!content.isReadable()) {
      return;
    }
    byte[] chunk = ByteBufUtil.getBytes(content);
    List<Runnable> wakes;
    synchronized (this) {
      if (done || failure != null) {
        return;
      }
      chunks.add(chunk);
      bytes += chunk.length;
      if (bytes > aggregateLimit) {
        tooLarge(aggregateOrigin, aggregateLimit);
        return;
      }
      if (keepingWhole && bytes > keepUpTo) {
        stopKeeping();
      }
      if (!keepingWhole && !paused && unread() > HIGH_WATER_BYTES) {
        paused = true;
        flow.pause();
      }
      wakes = wakes();
    }
    wakes.forEach(Runnable::run);
  }

  void complete() {
    List<Runnable> wakes;
    synchronized (this) {
      if (done || failure != null) {
        return;
      }
      done = true;
      wakes = wakes();
    }
    finished.complete(null);
    wakes.forEach(Runnable::run);
  }

  void fail(Throwable cause) {
    List<Runnable> wakes;
    synchronized (this) {
      if (done || failure != null) {
        return;
      }
      failure = cause;
      wakes = wakes();
    }
    finished.completeExceptionally(cause);
    wakes.forEach(Runnable::run);
  }

  /** Whether it ended or failed: the origin connection is free of it. */
  synchronized boolean over() {
    return done || failure != null;
  }

  synchronized boolean isPaused() {
    return paused;
  }

  // ---- helpers, called holding the lock ----

  private void tooLarge(String origin, long maxBytes) {
    failure =
        new OriginException(
            OriginException.Kind.BAD_RESPONSE,
            "response from origin " + origin + " is larger than " + maxBytes + " bytes",
            null);
    flow.cancel();
    finished.completeExceptionally(failure);
  }

  private void stopKeeping() {
    keepingWhole = false;
    dropConsumed();
  }

  /** Without keeping the whole body, what every reader has taken is of no more use. */
  private void dropConsumed() {
    if (keepingWhole) {
      return;
    }
    int upTo = chunks.size();
    for (Reader reader : readers) {
      upTo = Math.min(upTo, reader.next);
    }
    for (int i = dropped; i < upTo; i++) {
      chunks.set(i, EMPTY);
    }
    dropped = Math.max(dropped, upTo);
  }

  /** Bytes the slowest reader has yet to take: what a relayed body holds in memory. */
  private long unread() {
    long slowest = bytes;
    for (Reader reader : readers) {
      slowest = Math.min(slowest, reader.taken);
    }
    return bytes - slowest;
  }

  private List<Runnable> wakes() {
    List<Runnable> wakes = new ArrayList<>();
    for (Reader reader : readers) {
      if (reader.wake != null) {
        wakes.add(reader.wake);
        reader.wake = null;
      }
    }
    return wakes;
  }

  private static final byte[] EMPTY = new byte[0];
}
