package io.shopstack.slb.proxy;

import io.netty.channel.Channel;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * The ends of stream (FIN) one event loop's splices owe a peer, passed on one loop turn after the
 * other side's end was read, as HAProxy does: its stream task forwards a server's end after the
 * next poll, and if the client has closed by then it closes both sockets without a {@code
 * shutdown(2)}. With one request per connection that is the usual case: the client reads the
 * answer, closes, and its FIN is among the next turn's events, so the splice ends with two {@code
 * close} calls instead of a shutdown and two closes (see {@link Splice#endOfStream}).
 *
 * <p>The turn: an end read during this turn's I/O is queued; after this turn's tasks (Netty's tail
 * tasks) the queue becomes due and one task is queued, which makes the next turn's wait for events
 * non-blocking and runs after that turn's I/O. So an end waits for at most one turn of the loop,
 * and a loop with nothing else to do turns again at once.
 */
final class DeferredFins {
  private static final FastThreadLocal<DeferredFins> PER_LOOP = new FastThreadLocal<>();

  private final SingleThreadEventLoop loop;
  private ArrayList<DuplexChannel> seen = new ArrayList<>();
  private ArrayList<DuplexChannel> due = new ArrayList<>();
  private boolean turnEndArmed;
  private boolean dueQueued;
  private final Runnable endOfTurn = this::endOfTurn;
  private final Runnable sendDue = this::sendDue;

  private DeferredFins(SingleThreadEventLoop loop) {
    this.loop = loop;
  }

  /**
   * Queues our end of stream to {@code to} for the next loop turn; called on its loop's thread.
   * Returns false where no turn can be waited for (a loop without tail tasks, such as a test's
   * embedded channel), and the caller then sends it at once.
   */
  static boolean defer(DuplexChannel to) {
    if (!(to.eventLoop() instanceof SingleThreadEventLoop loop) || !loop.inEventLoop()) {
      return false;
    }
    DeferredFins fins = PER_LOOP.get();
    if (fins == null || fins.loop != loop) {
      fins = new DeferredFins(loop);
      PER_LOOP.set(fins);
    }
    fins.add(to);
    return true;
  }

  private void add(DuplexChannel to) {
    seen.add(to);
    if (!turnEndArmed) {
      turnEndArmed = true;
      loop.executeAfterEventLoopIteration(endOfTurn);
    }
  }

  private void endOfTurn() {
    turnEndArmed = false;
    if (due.isEmpty()) {
      ArrayList<DuplexChannel> swap = due;
      due = seen;
      seen = swap;
    } else { // the last batch has not run yet (the loop's task budget ran out): send together
      due.addAll(seen);
      seen.clear();
    }
    if (!dueQueued && !due.isEmpty()) {
      dueQueued = true;
      loop.execute(sendDue);
    }
  }

  private void sendDue() {
    dueQueued = false;
    for (int i = 0; i < due.size(); i++) {
      Channel to = due.get(i);
      if (to.isActive()) { // closed meanwhile (its peer's FIN, an error): nothing owed any more
        Splice.finishSending((DuplexChannel) to);
      }
    }
    due.clear();
  }
}
