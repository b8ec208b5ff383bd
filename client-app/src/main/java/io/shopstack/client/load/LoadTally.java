package io.shopstack.client.load;

import io.shopstack.client.Failure;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the workers of a load run observed, counted as they go from many threads: the latency of
 * every answered order (HdrHistogram, microseconds, 3 significant digits), the statuses, and the
 * orders that got no answer by class of error.
 */
public final class LoadTally {
  private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3);
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, String> firstErrorText = new ConcurrentHashMap<>();
  private final LongAdder created = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicReference<Failure> firstFailure = new AtomicReference<>();
  private final Set<String> phoneAddresses = ConcurrentHashMap.newKeySet();

  /** An order the shop answered: counted by status, its latency recorded; not 201 is a failure. */
  void answered(int status, long nanos, String phoneAddress) {
    phoneAddresses.add(phoneAddress);
    latencyMicros.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos)));
    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    if (status == 201) {
      created.increment();
    } else {
      fail(Failure.HTTP, "HTTP status " + status, "status " + status);
    }
  }

  /** An order without an answer (no connection, a broken or late response). */
  void unanswered(Failure failure, String errorClass, String text) {
    fail(failure, failure.name() + " " + errorClass, text);
  }

  private void fail(Failure failure, String errorClass, String text) {
    failed.increment();
    firstFailure.compareAndSet(null, failure);
    errors.computeIfAbsent(errorClass, c -> new LongAdder()).increment();
    firstErrorText.putIfAbsent(errorClass, text);
  }

  public long created() {
    return created.sum();
  }

  public long failed() {
    return failed.sum();
  }

  public long done() {
    return created() + failed();
  }

  /** A copy of the latency histogram (microseconds) of every answered order. */
  public Histogram latencyMicros() {
    return latencyMicros.copy();
  }

  /** Count per HTTP status, lowest status first. */
  public Map<Integer, Long> statuses() {
    Map<Integer, Long> copy = new TreeMap<>();
    statuses.forEach((status, count) -> copy.put(status, count.sum()));
    return copy;
  }

  /** Count per class of error ({@code CONNECT ConnectException}, {@code HTTP status 503}...). */
  public Map<String, Long> errors() {
    Map<String, Long> copy = new TreeMap<>();
    errors.forEach((kind, count) -> copy.put(kind, count.sum()));
    return copy;
  }

  /** The first message seen of each class of error, so the summary can show one example. */
  public Map<String, String> firstErrorText() {
    return new TreeMap<>(firstErrorText);
  }

  /** The local addresses the answered orders' connections left from, as the sockets said. */
  public Set<String> phoneAddresses() {
    return new TreeSet<>(phoneAddresses);
  }

  /** 0 when every order placed was created, else the layer of the first failure. */
  public int exitCode() {
    Failure first = firstFailure.get();
    return first == null ? Failure.OK : first.exitCode();
  }
}
