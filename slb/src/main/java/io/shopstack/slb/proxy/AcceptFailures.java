package io.shopstack.slb.proxy;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the listening sockets do when {@code accept} fails, mostly for want of a file descriptor
 * (EMFILE): stop accepting on that socket for a second and try again, the waiting clients kept in
 * the kernel's backlog; log when it starts (at most once in ten seconds) and when accepting works
 * again, with how many attempts failed, instead of Netty's stack trace on every attempt on every
 * socket. Sits on each listening socket, before the handler that hands accepted connections on.
 */
@Sharable
public final class AcceptFailures extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(AcceptFailures.class);
  private static final long RETRY_MILLIS = 1000;
  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final BooleanSupplier pausedElsewhere;
  private volatile boolean failing;
  private boolean warned; // guarded by this: a warning is out and its recovery not yet logged
  private int failed; // guarded by this: attempts failed since the last line
  private long since; // guarded by this
  private long lastWarning = System.nanoTime() - QUIET_NANOS; // guarded by this

  /**
   * @param pausedElsewhere whether something else (the frontend's maxconn) has paused accepting:
   *     then the retry leaves it paused
   */
  public AcceptFailures(BooleanSupplier pausedElsewhere) {
    this.pausedElsewhere = pausedElsewhere;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object accepted) {
    if (failing) {
      recovered();
    }
    ctx.fireChannelRead(accepted);
  }

  private synchronized void recovered() {
    if (failing) {
      failing = false;
      if (warned) {
        warned = false;
        log.info(
            "accepting clients again; {} more failed accept attempts in the {} ms since the warning",
            failed,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
        failed = 0;
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    synchronized (this) {
      failed++;
      failing = true;
      long now = System.nanoTime();
      // Freed descriptors are taken again at once by the clients waiting in the backlog, so
      // accepting flaps while the limit lasts: one warning per ten seconds, with the count.
      if (!warned && now - lastWarning >= QUIET_NANOS) {
        warned = true;
        lastWarning = now;
        since = now;
        log.warn(
            "cannot accept clients on {}: {} ({} failed attempts since the last line); retrying"
                + " every {} ms, clients wait in the backlog",
            ctx.channel().localAddress(),
            cause.getMessage(),
            failed,
            RETRY_MILLIS);
        failed = 0;
      }
    }
    // A failed accept leaves the connection queued, so the socket stays readable: without a
    // pause the loop would spin on it.
    ctx.channel().config().setAutoRead(false);
    ctx.executor()
        .schedule(
            () -> {
              if (!pausedElsewhere.getAsBoolean()) {
                ctx.channel().config().setAutoRead(true);
              }
            },
            RETRY_MILLIS,
            TimeUnit.MILLISECONDS);
  }
}
