package io.shopstack.slb.proxy;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the listening sockets do when {@code accept} fails, mostly for want of a file descriptor
 * (EMFILE): stop accepting on that socket for a second and try again, the waiting clients kept in
 * the kernel's backlog; log it once when it starts and once when accepting works again, with how
 * many attempts failed, instead of Netty's stack trace on every attempt on every socket. Sits on
 * each listening socket, before the handler that hands accepted connections on.
 */
@Sharable
public final class AcceptFailures extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(AcceptFailures.class);
  private static final long RETRY_MILLIS = 1000;

  private volatile boolean failing;
  private int failed; // guarded by this
  private long since; // guarded by this

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
      log.info(
          "accepting clients again after {} failed accept attempts in {} ms",
          failed,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    synchronized (this) {
      failed = failing ? failed + 1 : 1;
      if (!failing) {
        failing = true;
        since = System.nanoTime();
        log.warn(
            "cannot accept clients on {}: {}; retrying every {} ms, clients wait in the backlog",
            ctx.channel().localAddress(),
            cause.getMessage(),
            RETRY_MILLIS);
      }
    }
    // A failed accept leaves the connection queued, so the socket stays readable: without a
    // pause the loop would spin on it.
    ctx.channel().config().setAutoRead(false);
    ctx.executor()
        .schedule(
            () -> ctx.channel().config().setAutoRead(true), RETRY_MILLIS, TimeUnit.MILLISECONDS);
  }
}
