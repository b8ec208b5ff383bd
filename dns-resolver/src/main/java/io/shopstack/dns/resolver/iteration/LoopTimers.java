package io.shopstack.dns.resolver.iteration;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Timers for work that runs on an event loop, kept by that loop. {@link
 * CompletableFuture#orTimeout} and {@link CompletableFuture#delayedExecutor} hand every timer to
 * one JDK thread and wake it for each new one: a cold resolution then costs a wake-up of a second
 * thread (on a resolver pinned to one core, a context switch) twice per query, to arm a timer that
 * almost never fires. The event loop's own scheduler is a heap it looks at anyway.
 */
public final class LoopTimers {
  private LoopTimers() {}

  /**
   * {@code future}, completed with a {@link TimeoutException} if nothing completed it within {@code
   * millis}; the timer goes when it completes.
   */
  public static <T> CompletableFuture<T> within(CompletableFuture<T> future, long millis) {
    if (future.isDone()) {
      return future;
    }
    Future<?> timer =
        schedule(
            () -> future.completeExceptionally(new TimeoutException("no result in " + millis)),
            millis);
    future.whenComplete((result, error) -> timer.cancel(false));
    return future;
  }

  /**
   * Runs {@code task} after {@code millis} on the calling thread's event loop, or on the JDK's
   * delay thread when called from elsewhere (a test, dnsjava's TCP callback).
   */
  public static Future<?> schedule(Runnable task, long millis) {
    EventExecutor loop = ThreadExecutorMap.currentExecutor();
    if (loop != null && !loop.isShuttingDown()) {
      return loop.schedule(task, millis, TimeUnit.MILLISECONDS);
    }
    CompletableFuture<Void> timer = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (!timer.isDone()) {
                task.run();
                timer.complete(null);
              }
            });
    return timer;
  }
}
