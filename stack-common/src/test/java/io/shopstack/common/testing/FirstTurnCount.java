package io.shopstack.common.testing;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Put first in a listening channel's pipeline: counts the clients it accepts, and how many of them
 * its event loop took in the turn that took the first one (a task queued by the first client runs
 * once that turn's reading is over). With {@link BusyLoops} holding the loop while clients queue
 * up, it shows whether a listener takes them in one batch or one per turn.
 */
@ChannelHandler.Sharable
public final class FirstTurnCount extends ChannelInboundHandlerAdapter {
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger firstTurn = new AtomicInteger();

  public int accepted() {
    return accepted.get();
  }

  /** The clients taken in the first turn; 0 until that turn is over. */
  public int firstTurn() {
    return firstTurn.get();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object client) {
    if (accepted.incrementAndGet() == 1) {
      ctx.executor().execute(() -> firstTurn.set(accepted.get()));
    }
    ctx.fireChannelRead(client);
  }
}
