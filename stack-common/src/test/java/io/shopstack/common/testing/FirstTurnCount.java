package io.shopstack.common.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Put first in a listening channel's pipeline: counts the clients it accepts, and how many of them
 * its event loop took in the turn that took the first one (a task queued by the first client runs
 * once that turn's reading is over), and how many bytes those clients had been read by then (a
 * counter goes first in each client's pipeline). With {@link BusyLoops} holding the loop while
 * clients queue up, it shows whether a listener takes them in one batch or one per turn, and
 * whether it reads them in the turn that accepted them.
 */
@ChannelHandler.Sharable
public final class FirstTurnCount extends ChannelInboundHandlerAdapter {
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger bytesRead = new AtomicInteger();
  private final AtomicInteger firstTurn = new AtomicInteger();
  private volatile int bytesReadInFirstTurn;
  private final ChannelHandler byteCount = new ByteCount();

  public int accepted() {
    return accepted.get();
  }

  /** The clients taken in the first turn; 0 until that turn is over. */
  public int firstTurn() {
    return firstTurn.get();
  }

  /** The bytes read from its clients by the end of the first turn; valid once it is over. */
  public int bytesReadInFirstTurn() {
    return bytesReadInFirstTurn;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object client) {
    ((Channel) client).pipeline().addFirst(byteCount);
    if (accepted.incrementAndGet() == 1) {
      ctx.executor()
          .execute(
              () -> {
                bytesReadInFirstTurn = bytesRead.get(); // before firstTurn shows the turn over
                firstTurn.set(accepted.get());
              });
    }
    ctx.fireChannelRead(client);
  }

  @ChannelHandler.Sharable
  private final class ByteCount extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object chunk) {
      if (chunk instanceof ByteBuf buf) {
        bytesRead.addAndGet(buf.readableBytes());
      }
      ctx.fireChannelRead(chunk);
    }
  }
}
